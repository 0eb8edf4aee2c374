//! A customer's privacy requests from the console (issue 17, item 3): their data exported on
//! request (fetched from `GET /v1/customers/{id}/export`, handed to the shell to save), and
//! their personal data erased (the `EraseCustomer` op, after a confirmation). Who may is the
//! server's and `apply`'s to decide; the view offers only what the person's role allows.

use crux_core::{Command, render::render};
use domain::ids::CustomerId;
use domain::ops::OpKind;
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Internal, Model, commit};
use crate::effects::Effect;

type Http = crux_http::Http<Effect, Event>;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum PrivacyEvent {
    /// Asks to erase: the card then asks to confirm.
    Erase(CustomerId),
    Confirm(CustomerId),
    Cancel,
    /// Their data, as JSON (`csv: false`) or CSV.
    Export {
        customer: CustomerId,
        csv: bool,
    },
    /// The shell saved the file (or the person closed it): forget it.
    Saved,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Privacy {
    /// The customer whose erasure waits for a confirmation.
    pub confirming: Option<CustomerId>,
    pub exporting: Option<CustomerId>,
    /// A fetched export waiting to be saved: whose, the file's name, its text.
    pub export: Option<(CustomerId, String, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    customer: CustomerId,
    name: String,
    body: Result<String, super::sync::Failure>,
}

pub fn update(model: &mut Model, event: PrivacyEvent) -> Command<Effect, Event> {
    let p = &mut model.privacy;
    match event {
        PrivacyEvent::Erase(c) => {
            p.confirming = Some(c);
            render()
        }
        PrivacyEvent::Cancel => {
            p.confirming = None;
            render()
        }
        PrivacyEvent::Confirm(c) => {
            if p.confirming != Some(c) {
                return Command::done();
            }
            p.confirming = None;
            Command::all([
                render(),
                commit::request(OpKind::EraseCustomer { customer: c }),
            ])
        }
        PrivacyEvent::Saved => {
            p.export = None;
            render()
        }
        PrivacyEvent::Export { customer, csv } => {
            let format = if csv { "csv" } else { "json" };
            let (Some(url), Some(token)) = (
                model.endpoint(&format!(
                    "/v1/customers/{}/export?format={format}",
                    customer.0
                )),
                model.session().map(|s| s.access_token.clone()),
            ) else {
                return Command::done();
            };
            model.privacy.exporting = Some(customer);
            model.privacy.export = None;
            let name = format!("customer-{}.{format}", customer.0);
            let req = Http::get(url)
                .header("Authorization", format!("Bearer {token}"))
                .expect_string()
                .build()
                .then_send(move |r| {
                    let body = match r {
                        Ok(mut resp) => resp.take_body().ok_or_else(|| {
                            super::sync::Failure::Refused("The server sent an empty answer.".into())
                        }),
                        Err(e) => Err(super::sync::failure(&e)),
                    };
                    Event::internal(Internal::Exported(Exported {
                        customer,
                        name,
                        body,
                    }))
                });
            Command::all([render(), req])
        }
    }
}

impl Model {
    pub(super) fn exported(&mut self, e: Exported) -> Command<Effect, Event> {
        if self.privacy.exporting != Some(e.customer) {
            return Command::done();
        }
        self.privacy.exporting = None;
        match e.body {
            Ok(text) => self.privacy.export = Some((e.customer, e.name, text)),
            Err(f) => self.notice = Some(f.notice()),
        }
        render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DispatcherEvent;
    use crate::model::fake_shell::drive;
    use crate::model::tests::{signed_in, t0, user_with};
    use domain::ops::{Record, RecordKey};
    use domain::org::Role;

    fn send(m: &mut Model, e: PrivacyEvent) -> crate::model::fake_shell::Outcome {
        drive(m, Event::Dispatcher(DispatcherEvent::Privacy(e)), t0())
    }

    fn a_customer(m: &Model) -> domain::customers::Customer {
        m.replica.customers().next().unwrap().clone()
    }

    /// Erasure waits for a confirmation, then is one op applied on the device at once; the
    /// export is fetched and handed to the shell to save.
    #[test]
    fn an_admin_erases_after_confirming_and_exports_a_customers_data() {
        let mut admin = signed_in(user_with(Role::Admin));
        let c = a_customer(&admin);
        // A confirmation for someone else, or without asking first, does nothing.
        send(&mut admin, PrivacyEvent::Confirm(c.id));
        assert!(admin.outbox.is_empty());
        send(&mut admin, PrivacyEvent::Erase(c.id));
        assert_eq!(admin.privacy.confirming, Some(c.id));
        send(&mut admin, PrivacyEvent::Cancel);
        assert!(admin.outbox.is_empty());
        send(&mut admin, PrivacyEvent::Erase(c.id));
        send(&mut admin, PrivacyEvent::Confirm(c.id));
        let Some(Record::Customer(now)) = admin.replica.record(&RecordKey::Customer(c.id)) else {
            panic!("the customer");
        };
        assert_eq!(now.name, c.number());
        assert!(now.erased.is_some() && now.phones.is_empty());

        let out = send(
            &mut admin,
            PrivacyEvent::Export {
                customer: c.id,
                csv: true,
            },
        );
        assert!(
            out.http[0]
                .url
                .ends_with(&format!("/v1/customers/{}/export?format=csv", c.id.0))
        );
        let done = Exported {
            customer: c.id,
            name: format!("customer-{}.csv", c.id.0),
            body: Ok("record,id,field,value\n".into()),
        };
        drive(&mut admin, Event::internal(Internal::Exported(done)), t0());
        assert_eq!(
            admin
                .privacy
                .export
                .as_ref()
                .map(|(_, n, t)| (n.as_str(), t.len())),
            Some((format!("customer-{}.csv", c.id.0).as_str(), 22))
        );
        send(&mut admin, PrivacyEvent::Saved);
        assert_eq!(admin.privacy.export, None);
    }

    /// A dispatcher's erasure is refused by `apply` on the device, and said so.
    #[test]
    fn a_dispatchers_erasure_is_refused_on_the_device() {
        let mut d = signed_in(user_with(Role::Dispatcher));
        let me = d.user().cloned().unwrap();
        let c = d
            .replica
            .customers()
            .find(|c| me.manages_store(c.store))
            .unwrap()
            .clone();
        send(&mut d, PrivacyEvent::Erase(c.id));
        send(&mut d, PrivacyEvent::Confirm(c.id));
        assert!(
            matches!(d.notice, Some(crate::model::notice::Notice::Refused(_))),
            "{:?}",
            d.notice
        );
        let Some(Record::Customer(now)) = d.replica.record(&RecordKey::Customer(c.id)) else {
            panic!("the customer");
        };
        assert_eq!(now.name, c.name);
    }
}
