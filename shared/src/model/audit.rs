//! The admin's audit browser on the console (issue 17, item 3): a page of `GET /v1/audit` at a
//! time, filtered by person, kind of event and how far back; worded on the device
//! (`view::audit`). The audit stays on the server: nothing of it is stored on the device.

use chrono::Duration;
use crux_core::{Command, render::render};
use domain::audit::{AuditEntry, AuditKind, AuditPage};
use domain::ids::UserId;
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Internal, Model};
use crate::effects::Effect;

type Http = crux_http::Http<Effect, Event>;

/// How far back the browser may look, in days.
pub const DAYS: [u16; 4] = [1, 7, 30, 365];

/// Entries asked for at a time.
const PAGE: u32 = 50;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum AuditEvent {
    /// Who did it; `None`: anyone.
    Person(Option<UserId>),
    /// What kind of event; `None`: anything.
    Kind(Option<AuditKind>),
    Days(u16),
    /// Load from the start with the filters as they are.
    Show,
    /// The next page.
    More,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Browsing {
    pub person: Option<UserId>,
    pub kind: Option<AuditKind>,
    pub days: u16,
    /// `None` until first shown.
    pub entries: Option<Vec<AuditEntry>>,
    pub next: Option<u64>,
    pub loading: bool,
    /// Which request an answer belongs to: a newer filter outdates older answers.
    generation: u64,
}

impl Default for Browsing {
    fn default() -> Self {
        Self {
            person: None,
            kind: None,
            days: 7,
            entries: None,
            next: None,
            loading: false,
            generation: 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    generation: u64,
    more: bool,
    page: Result<AuditPage, super::sync::Failure>,
}

pub fn update(model: &mut Model, event: AuditEvent) -> Command<Effect, Event> {
    let b = &mut model.audit;
    match event {
        AuditEvent::Person(p) => b.person = p,
        AuditEvent::Kind(k) => b.kind = k,
        AuditEvent::Days(d) if DAYS.contains(&d) => b.days = d,
        AuditEvent::Days(_) => return Command::done(),
        AuditEvent::Show => {}
        AuditEvent::More => {
            if b.next.is_none() || b.loading {
                return Command::done();
            }
            return request(model, true);
        }
    }
    request(model, false)
}

fn request(model: &mut Model, more: bool) -> Command<Effect, Event> {
    let b = &model.audit;
    let from = (model.now - Duration::days(i64::from(b.days)))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut query = format!("/v1/audit?limit={PAGE}&from={}", from.replace('+', "%2B"));
    if let Some(p) = b.person {
        query.push_str(&format!("&actor={}", p.0));
    }
    if let Some(k) = b.kind {
        query.push_str(&format!("&event={}", k.event()));
    }
    if more && let Some(n) = b.next {
        query.push_str(&format!("&after={n}"));
    }
    let (Some(url), Some(token)) = (
        model.endpoint(&query),
        model.session().map(|s| s.access_token.clone()),
    ) else {
        return Command::done();
    };
    let b = &mut model.audit;
    if !more {
        b.generation += 1;
    }
    b.loading = true;
    let generation = b.generation;
    let req = Http::get(url)
        .header("Authorization", format!("Bearer {token}"))
        .expect_json::<AuditPage>()
        .build()
        .then_send(move |r| {
            let page = match r {
                Ok(mut resp) => resp.take_body().ok_or_else(|| {
                    super::sync::Failure::Refused("The server sent an empty answer.".into())
                }),
                Err(e) => Err(super::sync::failure(&e)),
            };
            Event::internal(Internal::Audit(Answer {
                generation,
                more,
                page,
            }))
        });
    Command::all([render(), req])
}

impl Model {
    pub(super) fn audit_answered(&mut self, a: Answer) -> Command<Effect, Event> {
        let b = &mut self.audit;
        if a.generation != b.generation {
            return Command::done();
        }
        b.loading = false;
        match a.page {
            Ok(page) => {
                let entries = b.entries.get_or_insert_with(Vec::new);
                if !a.more {
                    entries.clear();
                }
                entries.extend(page.items);
                b.next = page.next;
            }
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
    use domain::audit::AuditWhat;
    use domain::org::Role;
    use domain::words::Lang;

    fn send(m: &mut Model, e: AuditEvent) -> crate::model::fake_shell::Outcome {
        drive(m, Event::Dispatcher(DispatcherEvent::Audit(e)), t0())
    }

    fn view(m: &Model) -> Option<crate::view::audit::AuditView> {
        let ctx = crate::view::format::Ctx::new(m);
        crate::view::audit::view(m, &ctx, m.user().unwrap())
    }

    fn entry(seq: u64, what: AuditWhat) -> AuditEntry {
        AuditEntry {
            seq,
            at: t0(),
            actor: UserId::new(),
            device: "desk".into(),
            what,
        }
    }

    /// The filters go to the server as the query; the answer is listed newest first, worded
    /// in the person's language, and a newer filter's answer wins over a slower older one.
    #[test]
    fn the_admin_filters_the_audit_and_reads_it_worded() {
        let mut admin = signed_in(user_with(Role::Admin));
        let out = send(&mut admin, AuditEvent::Kind(Some(AuditKind::Search)));
        let url = &out.http[0].url;
        assert!(
            url.contains("/v1/audit?limit=50&from=") && url.ends_with("&event=search"),
            "{url}"
        );
        let stale = admin.audit.generation;
        send(&mut admin, AuditEvent::Days(30));
        // The first request's answer arrives after the second was sent: dropped.
        let old = Answer {
            generation: stale,
            more: false,
            page: Ok(AuditPage {
                items: vec![entry(1, AuditWhat::SecondFactorEnrolled)],
                next: None,
            }),
        };
        drive(&mut admin, Event::internal(Internal::Audit(old)), t0());
        assert_eq!(view(&admin).unwrap().lines, None);
        let page = Answer {
            generation: admin.audit.generation,
            more: false,
            page: Ok(AuditPage {
                items: vec![
                    entry(
                        7,
                        AuditWhat::Search {
                            query: "zhang".into(),
                            results: 4,
                            masked: 1,
                        },
                    ),
                    entry(9, AuditWhat::RecoveryCodeUsed { left: 3 }),
                ],
                next: Some(9),
            }),
        };
        drive(&mut admin, Event::internal(Internal::Audit(page)), t0());
        let v = view(&admin).unwrap();
        let lines = v.lines.unwrap();
        assert_eq!(lines.iter().map(|l| l.seq).collect::<Vec<_>>(), [9, 7]);
        assert!(lines[1].what.text.contains("zhang") && lines[1].what.text.contains('4'));
        assert!(v.more.is_some());
        // The next page continues after the last entry.
        let out = send(&mut admin, AuditEvent::More);
        assert!(out.http[0].url.contains("&after=9"), "{}", out.http[0].url);
        drive(
            &mut admin,
            Event::SetLanguage(Lang::SimplifiedChinese),
            t0(),
        );
        let zh = view(&admin).unwrap().lines.unwrap();
        assert!(zh[1].what.text.contains("搜索"), "{}", zh[1].what.text);
        // Not for a dispatcher.
        let d = signed_in(user_with(Role::Dispatcher));
        assert!(view(&d).is_none());
    }
}
