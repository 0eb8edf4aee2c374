//! A purchase typed in the console (issue 17, item 1: purchases come from imports, the till and
//! the console): one line with its amount, on the customer's card. Read here into one
//! `RecordPurchase`; `apply` checks who may and what makes sense, like any op.

use crux_core::{Command, render::render};
use domain::ids::{CustomerId, PurchaseId};
use domain::import::{Cell, values};
use domain::ops::{NewPurchase, OpKind};
use domain::purchases::{Item, Source};
use domain::words::Label;
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model, commit};
use crate::effects::Effect;

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum PurchaseField {
    Product,
    Quantity,
    Amount,
    Date,
    Receipt,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum PurchaseEvent {
    Open(CustomerId),
    Type { field: PurchaseField, value: String },
    Save,
    Close,
}

/// The form as typed; `customer: None` is closed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PurchaseForm {
    pub customer: Option<CustomerId>,
    pub product: String,
    pub quantity: String,
    pub amount: String,
    pub date: String,
    pub receipt: String,
    /// What is wrong with what was typed, said on the form.
    pub error: Option<Label>,
}

pub fn update(model: &mut Model, event: PurchaseEvent) -> Command<Effect, Event> {
    let today = model.now.with_timezone(&model.home_zone()).date_naive();
    let f = &mut model.purchase_form;
    match event {
        PurchaseEvent::Open(c) => {
            *f = PurchaseForm {
                customer: Some(c),
                quantity: "1".into(),
                date: today.to_string(),
                ..PurchaseForm::default()
            };
        }
        PurchaseEvent::Close => *f = PurchaseForm::default(),
        PurchaseEvent::Type { field, value } => {
            let slot = match field {
                PurchaseField::Product => &mut f.product,
                PurchaseField::Quantity => &mut f.quantity,
                PurchaseField::Amount => &mut f.amount,
                PurchaseField::Date => &mut f.date,
                PurchaseField::Receipt => &mut f.receipt,
            };
            *slot = value;
            f.error = None;
        }
        PurchaseEvent::Save => {
            let Some(customer) = f.customer else {
                return Command::done();
            };
            match read(f, customer) {
                Ok(new) => {
                    *f = PurchaseForm::default();
                    return Command::all([render(), commit::request(OpKind::RecordPurchase(new))]);
                }
                Err(label) => f.error = Some(label),
            }
        }
    }
    render()
}

/// The form read into the op's body.
fn read(f: &PurchaseForm, customer: CustomerId) -> Result<NewPurchase, Label> {
    let product = f.product.trim();
    if product.is_empty() {
        return Err(Label::PurchaseNeedsProduct);
    }
    let quantity = match values::whole(&Cell::Text(f.quantity.clone())) {
        Ok(n) if n >= 1 => n,
        _ => return Err(Label::PurchaseBadQuantity),
    };
    let amount =
        values::amount(&Cell::Text(f.amount.clone())).map_err(|_| Label::PurchaseBadAmount)?;
    let on = values::date(&Cell::Text(f.date.clone())).map_err(|_| Label::PurchaseBadDate)?;
    let receipt = Some(f.receipt.trim().to_owned()).filter(|r| !r.is_empty());
    Ok(NewPurchase {
        id: PurchaseId::new(),
        customer,
        store: None,
        on,
        items: vec![Item {
            product: product.to_owned(),
            quantity,
            amount,
            asset: None,
        }],
        amount,
        source: Source::Console,
        receipt,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DispatcherEvent;
    use crate::model::fake_shell::drive;
    use crate::model::tests::{signed_in, t0, user_with};
    use domain::ops::Record;
    use domain::org::Role;

    fn send(m: &mut Model, e: PurchaseEvent) {
        drive(m, Event::Dispatcher(DispatcherEvent::Purchase(e)), t0());
    }

    fn typed(m: &mut Model, field: PurchaseField, value: &str) {
        send(
            m,
            PurchaseEvent::Type {
                field,
                value: value.into(),
            },
        );
    }

    #[test]
    fn a_sale_typed_at_the_desk_is_one_purchase_and_mistakes_are_said_on_the_form() {
        let mut d = signed_in(user_with(Role::Dispatcher));
        let me = d.user().cloned().unwrap();
        let c = d
            .replica
            .customers()
            .find(|c| me.manages_store(c.store))
            .unwrap()
            .id;
        send(&mut d, PurchaseEvent::Open(c));
        send(&mut d, PurchaseEvent::Save);
        assert_eq!(d.purchase_form.error, Some(Label::PurchaseNeedsProduct));
        typed(&mut d, PurchaseField::Product, "钢琴琴弦");
        typed(&mut d, PurchaseField::Amount, "lots");
        send(&mut d, PurchaseEvent::Save);
        assert_eq!(d.purchase_form.error, Some(Label::PurchaseBadAmount));
        typed(&mut d, PurchaseField::Amount, "¥1,280.50");
        typed(&mut d, PurchaseField::Quantity, "2");
        typed(&mut d, PurchaseField::Receipt, " R-778 ");
        send(&mut d, PurchaseEvent::Save);
        assert_eq!(d.purchase_form.customer, None, "closed once made");
        let bought: Vec<_> = d
            .replica
            .iter()
            .filter_map(|r| match r {
                Record::Purchase(p) if p.customer == c => Some(p.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(bought.len(), 1);
        let p = &bought[0];
        assert_eq!((p.amount, p.items[0].quantity), (128_050, 2));
        assert_eq!(p.receipt.as_deref(), Some("R-778"));
        assert_eq!(p.source, Source::Console);
        assert_eq!(p.on, d.now.with_timezone(&d.home_zone()).date_naive());
    }
}
