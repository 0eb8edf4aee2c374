//! The admin console (issue 16, item 1): people, stores, technicians' profiles and the
//! catalogues, changed while Rounds runs. Each form the shell sends becomes one op (or, for a
//! password, one request to the admin endpoint: a password never travels inside an op); what
//! is typed is read here, and `apply` decides who may and what makes sense.

use chrono_tz::Tz;
use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::sync::Failure;
use super::{Event, Internal, Model, commit};
use crate::effects::Effect;
use domain::ids::{StoreId, UserId};
use domain::leads::InterestCategory;
use domain::ops::{HandOver, NewUser, OpKind, StoreDraft, TechnicianDraft, UserPatch};
use domain::org::{Break, MinuteOfDay, Role, Skill, SkillCode, WeeklyHours};
use domain::places::{Address, LatLng};
use domain::words::Label;

/// Which page of the console is open.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[repr(C)]
pub enum ConsolePage {
    /// The admins' first page: they run the organization rather than the day.
    #[default]
    Default,
    Board,
    BackOffice,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum BackOfficeEvent {
    /// A new person (`user: None`) or changes to one: the form as typed.
    SavePerson(PersonForm),
    Deactivate {
        user: UserId,
        hand_over: HandOverForm,
    },
    Reactivate(UserId),
    SetPassword {
        user: UserId,
        password: String,
    },
    SaveTechnician(TechnicianForm),
    SaveStore(StoreForm),
    SaveSkill(CatalogueForm),
    SaveInterest(CatalogueForm),
    /// Customers from a file (`model::imports`).
    Import(super::imports::ImportEvent),
}

/// Who takes over a leaver's work ([`HandOver`]): nobody named keeps customers with the
/// store and sends jobs not started back to the queue.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct HandOverForm {
    pub customers: Option<UserId>,
    pub leads: Option<UserId>,
    pub follow_ups: Option<UserId>,
    pub jobs: Option<UserId>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct PersonForm {
    pub user: Option<UserId>,
    pub name: String,
    pub login: String,
    pub phone: String,
    pub roles: Vec<Role>,
    pub stores: Vec<StoreId>,
}

/// Hours as typed: the ISO weekdays ticked (1 = Monday), and from and to as "HH:MM".
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct HoursForm {
    pub days: Vec<u8>,
    pub from: String,
    pub to: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct TechnicianForm {
    pub user: UserId,
    pub store: StoreId,
    pub skills: Vec<String>,
    pub hours: HoursForm,
    /// "HH:MM", blank for none.
    pub break_at: String,
    pub break_minutes: String,
    pub home_lat: String,
    pub home_lng: String,
    pub max_jobs: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct StoreForm {
    /// `None`: a new store.
    pub id: Option<StoreId>,
    pub name: String,
    pub province: String,
    pub city: String,
    pub district: String,
    pub street: String,
    pub detail: String,
    pub lat: String,
    pub lng: String,
    pub time_zone: String,
    pub hours: HoursForm,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct CatalogueForm {
    pub code: String,
    pub name_en: String,
    pub name_zh: String,
}

/// Why a form could not be read, said before anything is sent.
enum Unread {
    Time,
    Number,
    Position,
    TimeZone,
    Role,
}

impl From<Unread> for Label {
    fn from(u: Unread) -> Self {
        match u {
            Unread::Time => Label::TypeATime,
            Unread::Number => Label::TypeAWholeNumber,
            Unread::Position => Label::TypeAPosition,
            Unread::TimeZone => Label::TypeATimeZone,
            Unread::Role => Label::ChooseARole,
        }
    }
}

pub fn update(model: &mut Model, event: BackOfficeEvent) -> Command<Effect, Event> {
    let kind = match event {
        BackOfficeEvent::SetPassword { user, password } => {
            return model.set_password(user, password);
        }
        BackOfficeEvent::Import(e) => return super::imports::update(model, e),
        BackOfficeEvent::SavePerson(form) => person(model, form),
        BackOfficeEvent::Deactivate { user, hand_over: h } => Ok(OpKind::DeactivateUser {
            user,
            hand_over: HandOver {
                customers: h.customers,
                leads: h.leads,
                follow_ups: h.follow_ups,
                jobs: h.jobs,
            },
        }),
        BackOfficeEvent::Reactivate(user) => Ok(OpKind::SetUserActive { user, active: true }),
        BackOfficeEvent::SaveTechnician(form) => technician(&form),
        BackOfficeEvent::SaveStore(form) => store(&form),
        BackOfficeEvent::SaveSkill(f) => Ok(OpKind::SaveSkill(Skill {
            code: SkillCode(f.code.trim().to_owned()),
            name_en: f.name_en,
            name_zh: f.name_zh,
        })),
        BackOfficeEvent::SaveInterest(f) => Ok(OpKind::SaveInterest(InterestCategory {
            code: f.code.trim().to_owned(),
            name_en: f.name_en,
            name_zh: f.name_zh,
        })),
    };
    match kind {
        Ok(kind) => commit::request(kind),
        Err(unread) => {
            model.notice = Some(Label::from(unread).into());
            render()
        }
    }
}

/// A new person, or a patch of what changed (only that: a patch naming unchanged roles would
/// need a right the editor may not have, to change nothing).
fn person(model: &Model, f: PersonForm) -> Result<OpKind, Unread> {
    let phone = Some(f.phone.trim().to_owned()).filter(|p| !p.is_empty());
    let Some(id) = f.user else {
        if f.roles.is_empty() {
            return Err(Unread::Role);
        }
        return Ok(OpKind::CreateUser(NewUser {
            id: UserId::new(),
            name: f.name,
            login: f.login,
            phone,
            roles: f.roles,
            stores: f.stores,
        }));
    };
    let before = model.replica.users().find(|u| u.id == id).cloned();
    let changed = |now: bool| now.then_some(());
    let patch = match before {
        Some(b) => UserPatch {
            name: changed(b.name != f.name.trim()).map(|()| f.name.clone()),
            phone: changed(b.phone != phone).map(|()| phone.clone()),
            roles: changed(b.roles != f.roles).map(|()| f.roles.clone()),
            stores: changed(b.stores != f.stores).map(|()| f.stores.clone()),
        },
        None => UserPatch {
            name: Some(f.name),
            phone: Some(phone),
            roles: Some(f.roles),
            stores: Some(f.stores),
        },
    };
    Ok(OpKind::UpdateUser { user: id, patch })
}

fn technician(f: &TechnicianForm) -> Result<OpKind, Unread> {
    let breaks = match f.break_at.trim() {
        "" => Vec::new(),
        at => vec![Break {
            start: minute(at)?,
            minutes: number(&f.break_minutes)?,
        }],
    };
    Ok(OpKind::SaveTechnician(TechnicianDraft {
        user: f.user,
        store: f.store,
        skills: f.skills.iter().map(|s| SkillCode(s.clone())).collect(),
        home_base: position(&f.home_lat, &f.home_lng)?,
        working_hours: hours(&f.hours)?,
        breaks,
        // A number too large for the field is still a number: `apply` says the range.
        max_jobs_per_day: u8::try_from(number::<u32>(&f.max_jobs)?).unwrap_or(u8::MAX),
    }))
}

fn store(f: &StoreForm) -> Result<OpKind, Unread> {
    let location = position(&f.lat, &f.lng)?;
    let time_zone: Tz = f.time_zone.trim().parse().map_err(|_| Unread::TimeZone)?;
    Ok(OpKind::SaveStore(StoreDraft {
        id: f.id.unwrap_or_default(),
        name: f.name.clone(),
        address: Address {
            province: f.province.trim().to_owned(),
            city: f.city.trim().to_owned(),
            district: f.district.trim().to_owned(),
            street: f.street.trim().to_owned(),
            detail: f.detail.trim().to_owned(),
            location: Some(location),
            approximate: false,
        },
        location,
        time_zone,
        opening_hours: hours(&f.hours)?,
    }))
}

/// "9:05", "09:05" or "0905" as minutes after midnight; 24:00 is the end of the day.
#[must_use]
pub fn parse_minute(s: &str) -> Option<MinuteOfDay> {
    let s = s.trim();
    let (h, m) = match s.split_once(':') {
        Some(hm) => hm,
        None if s.len() == 4 && s.is_ascii() => s.split_at(2),
        None => return None,
    };
    let (h, m): (u16, u16) = (h.trim().parse().ok()?, m.trim().parse().ok()?);
    (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 60 + m)
}

/// Minutes after midnight as "HH:MM".
#[must_use]
pub fn show_minute(m: MinuteOfDay) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn minute(s: &str) -> Result<MinuteOfDay, Unread> {
    parse_minute(s).ok_or(Unread::Time)
}

fn number<T: std::str::FromStr>(s: &str) -> Result<T, Unread> {
    s.trim().parse().map_err(|_| Unread::Number)
}

fn position(lat: &str, lng: &str) -> Result<LatLng, Unread> {
    let read = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
    match (read(lat), read(lng)) {
        (Some(lat), Some(lng)) => Ok(LatLng { lat, lng }),
        _ => Err(Unread::Position),
    }
}

fn hours(f: &HoursForm) -> Result<WeeklyHours, Unread> {
    let (from, to) = (minute(&f.from)?, minute(&f.to)?);
    let mut days = f.days.clone();
    days.sort_unstable();
    days.dedup();
    Ok(WeeklyHours::uniform(&days, from, to))
}

impl Model {
    fn set_password(&mut self, user: UserId, password: String) -> Command<Effect, Event> {
        // The server's rule, said before the password travels.
        if !(8..=200).contains(&password.chars().count()) {
            self.notice = Some(Label::PasswordLength.into());
            return render();
        }
        let (Some(session), Some(url)) = (
            self.session(),
            self.endpoint(&format!("/v1/admin/users/{}/password", user.0)),
        ) else {
            return Command::done();
        };
        let token = session.access_token.clone();
        super::sync::post_empty(
            url,
            &token,
            &serde_json::json!({ "password": password }),
            |r| Event::internal(Internal::PasswordSet(r)),
        )
    }

    pub(super) fn password_set(&mut self, result: Result<(), Failure>) -> Command<Effect, Event> {
        self.notice = Some(match result {
            Ok(()) => Label::PasswordSet.into(),
            Err(f) => f.notice(),
        });
        render()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fake_shell::drive;
    use crate::model::tests::{signed_in, t0, user_with};
    use crate::model::{DispatcherEvent, notice::Notice};
    use proptest::prelude::*;

    fn send(model: &mut Model, e: BackOfficeEvent) -> crate::model::fake_shell::Outcome {
        drive(
            model,
            Event::Dispatcher(DispatcherEvent::BackOffice(e)),
            t0(),
        )
    }

    fn last_op(model: &Model) -> OpKind {
        model.outbox.ops().last().expect("an op").kind.clone()
    }

    /// The admin's forms become ops that `apply` takes on the device at once: a new person,
    /// a profile, a store; a form that cannot be read is said, and nothing is queued.
    #[test]
    fn the_consoles_forms_become_one_op_each() {
        let mut admin = signed_in(user_with(Role::Admin));
        let store = admin.user().unwrap().stores[0];
        let queued = admin.outbox.len();
        send(
            &mut admin,
            BackOfficeEvent::SavePerson(PersonForm {
                user: None,
                name: "陈静".into(),
                login: "Chen.Jing".into(),
                phone: String::new(),
                roles: vec![Role::Technician],
                stores: vec![store],
            }),
        );
        assert_eq!(admin.outbox.len(), queued + 1);
        let OpKind::CreateUser(new) = last_op(&admin) else {
            panic!("not a new person");
        };
        let made = admin.replica.users().find(|u| u.id == new.id).unwrap();
        assert_eq!(
            (made.login.as_str(), made.phone.clone()),
            ("chen.jing", None)
        );

        // Only what changed is in the patch: the name, not the unchanged roles.
        let mut form = PersonForm {
            user: Some(new.id),
            name: "陈静怡".into(),
            login: made.login.clone(),
            phone: String::new(),
            roles: made.roles.clone(),
            stores: made.stores.clone(),
        };
        send(&mut admin, BackOfficeEvent::SavePerson(form.clone()));
        let OpKind::UpdateUser { patch, .. } = last_op(&admin) else {
            panic!("not an update");
        };
        assert_eq!(
            patch,
            UserPatch {
                name: Some("陈静怡".into()),
                ..UserPatch::default()
            }
        );
        form.roles.clear();
        let before = admin.outbox.len();
        send(&mut admin, BackOfficeEvent::SavePerson(form));
        assert_eq!(admin.outbox.len(), before, "refused by apply on the device");
        assert!(matches!(admin.notice, Some(Notice::Refused(_))));

        let profile = TechnicianForm {
            user: new.id,
            store,
            skills: vec!["piano-tuning".into()],
            hours: HoursForm {
                days: vec![1, 2, 3],
                from: "9:00".into(),
                to: "1730".into(),
            },
            break_at: "12:00".into(),
            break_minutes: "30".into(),
            home_lat: "31.2".into(),
            home_lng: "121.4".into(),
            max_jobs: "5".into(),
        };
        send(&mut admin, BackOfficeEvent::SaveTechnician(profile.clone()));
        let Some(domain::ops::Record::Technician(p)) = admin
            .replica
            .record(&domain::ops::RecordKey::Technician(new.id))
        else {
            panic!("no profile");
        };
        assert_eq!(p.working_hours, WeeklyHours::uniform(&[1, 2, 3], 540, 1050));
        assert_eq!((p.max_jobs_per_day, p.breaks[0].minutes), (5, 30));
        for (bad, said) in [
            (
                TechnicianForm {
                    break_at: "noon".into(),
                    ..profile.clone()
                },
                Label::TypeATime,
            ),
            (
                TechnicianForm {
                    home_lat: "north".into(),
                    ..profile.clone()
                },
                Label::TypeAPosition,
            ),
            (
                TechnicianForm {
                    max_jobs: "five".into(),
                    ..profile.clone()
                },
                Label::TypeAWholeNumber,
            ),
        ] {
            let before = admin.outbox.len();
            send(&mut admin, BackOfficeEvent::SaveTechnician(bad));
            assert_eq!(admin.outbox.len(), before);
            assert_eq!(admin.notice, Some(Notice::Said(said)));
        }
        // A whole number out of range is not "not a number": the range is said.
        let before = admin.outbox.len();
        send(
            &mut admin,
            BackOfficeEvent::SaveTechnician(TechnicianForm {
                max_jobs: "300".into(),
                ..profile.clone()
            }),
        );
        assert_eq!(admin.outbox.len(), before);
        let said = admin.notice.clone().expect("a notice");
        assert_ne!(said, Notice::Said(Label::TypeAWholeNumber));
        let words = crate::view::notice(domain::words::table(domain::words::Lang::English), &said);
        assert!(words.contains("30"), "{}", words.text);
        let store_form = StoreForm {
            name: "浦东二店".into(),
            city: "上海市".into(),
            district: "浦东新区".into(),
            street: "张杨路".into(),
            lat: "31.23".into(),
            lng: "121.52".into(),
            time_zone: "Mars/Olympus".into(),
            hours: HoursForm {
                days: vec![1],
                from: "09:00".into(),
                to: "21:00".into(),
            },
            ..StoreForm::default()
        };
        send(&mut admin, BackOfficeEvent::SaveStore(store_form.clone()));
        assert_eq!(admin.notice, Some(Notice::Said(Label::TypeATimeZone)));
        send(
            &mut admin,
            BackOfficeEvent::SaveStore(StoreForm {
                time_zone: "Asia/Shanghai".into(),
                ..store_form
            }),
        );
        assert!(matches!(last_op(&admin), OpKind::SaveStore(s) if s.name == "浦东二店"));
    }

    /// A password goes to the admin endpoint, never into an op; a length the server would
    /// refuse is said without asking it.
    #[test]
    fn a_password_is_a_request_not_an_op() {
        let mut admin = signed_in(user_with(Role::Admin));
        let rep = admin
            .replica
            .users()
            .find(|u| u.roles == vec![Role::Sales])
            .unwrap()
            .id;
        let queued = admin.outbox.len();
        let short = send(
            &mut admin,
            BackOfficeEvent::SetPassword {
                user: rep,
                password: "short".into(),
            },
        );
        assert!(short.http.is_empty());
        assert_eq!(admin.notice, Some(Notice::Said(Label::PasswordLength)));
        let sent = send(
            &mut admin,
            BackOfficeEvent::SetPassword {
                user: rep,
                password: "a good long one".into(),
            },
        );
        assert_eq!(admin.outbox.len(), queued, "no op carries it");
        let req = sent
            .http
            .iter()
            .find(|r| r.url.contains("/password"))
            .expect("the request");
        assert!(
            req.url
                .ends_with(&format!("/v1/admin/users/{}/password", rep.0))
        );
        assert!(String::from_utf8_lossy(&req.body).contains("a good long one"));
    }

    #[test]
    fn times_read_as_people_type_them() {
        assert_eq!(parse_minute("09:30"), Some(570));
        assert_eq!(parse_minute(" 9:05 "), Some(545));
        assert_eq!(parse_minute("0930"), Some(570));
        assert_eq!(parse_minute("24:00"), Some(1440));
        for bad in ["24:01", "9:60", "930", "", "ab:cd", "-1:00", "九:00"] {
            assert_eq!(parse_minute(bad), None, "{bad}");
        }
    }

    proptest! {
        /// Every minute of the day, shown and read back, is itself; no text panics.
        #[test]
        fn a_minute_shown_reads_back(m in 0u16..=1440) {
            prop_assert_eq!(parse_minute(&show_minute(m)), Some(m));
        }

        #[test]
        fn any_text_reads_as_a_minute_of_the_day_or_nothing(s in ".{0,8}") {
            if let Some(m) = parse_minute(&s) {
                prop_assert!(m <= 1440);
            }
        }
    }
}
