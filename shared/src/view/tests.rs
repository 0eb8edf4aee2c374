//! Every screen of every role, in both languages: every word comes from a table and reads in
//! the person's language, and nothing else in the view model changes with the language.
//!
//! A tour drives a model to each screen and state worth seeing (a form with an error, a
//! notice, a refused change) and renders it in English and in Chinese. Each rendering is
//! walked as JSON:
//! - a [`Word`] (an object whose only key is `text`) must not be empty, and in Chinese must
//!   hold Chinese characters: an English word there is a word the tables missed;
//! - any other string is data, an id or a code, and must be the same in both languages (a
//!   string that changes with the language is a word not typed as one) and sit under a key
//!   listed in [`DATA_KEYS`], so that every new text field is classed as a word or as data.

use serde_json::Value;

use super::{ViewModel, Word};
use crate::model::fake_shell::drive;
use crate::model::tests::{signed_in, t0, user_with};
use crate::model::{Event, Lang, Model, Notice, Phase, SearchEvent};
use domain::org::Role;
use domain::words::Label;

/// Keys whose strings are data (typed by a person or read from a record), ids, codes for the
/// shell's logic (enum values, CSS hooks), times and numbers shown as digits.
const DATA_KEYS: &[&str] = &[
    // — frame —
    "id",
    "role",
    "screen",
    "user_name",
    "last_synced",
    // — technician —
    "number",
    // — sales —
    "name",
    "lead",
    "customer",
    "job",
    "stage",
    "source",
    "title",
    "due",
    "reason",
    "note",
    "choice",
    "outcome",
    "lost_reason",
    "won_value",
    "phone",
    "model",
    "shown",
    "next_follow_up",
    "at",
    "text",
    "author",
    // — dispatcher —
    "technician",
    // — search and the customer form —
    "query",
];

/// Screens still being moved onto the tables (issue 11): skipped until their area is done.
const NOT_YET: &[&str] = &[".screen.Technician", ".screen.Dispatcher"];

/// What a tour collects at each stop: a name for the failure message and the view model in
/// English and in Chinese.
type Stop = (String, Value, Value);

fn stop(name: &str, model: &mut Model) -> Stop {
    let was = model.language;
    let en = render(model, Lang::English);
    let zh = render(model, Lang::SimplifiedChinese);
    model.language = was;
    (name.to_owned(), en, zh)
}

fn frame_tour() -> Vec<Stop> {
    let mut stops = Vec::new();
    let mut m = Model {
        phase: Phase::SignedOut,
        ..Model::default()
    };
    stops.push(stop("sign-in", &mut m));
    m.ui.sign_in_error = Some(Label::WrongLoginOrPassword.into());
    m.ui.code_needed = true;
    stops.push(stop("sign-in asking for a code", &mut m));
    m.phase = Phase::Starting;
    stops.push(stop("loading", &mut m));

    let mut m = signed_in(user_with(Role::Technician));
    for notice in [
        Notice::Said(Label::RemoteWipe),
        Notice::NotSaved("QuotaExceededError".into()),
        Notice::ServerRefusedChanges(2),
        Notice::ServerRefused("Bad Request".into()),
        Notice::OthersChanges(3),
        Notice::Unreadable(vec!["rounds/replica".into()]),
    ] {
        m.notice = Some(notice);
        stops.push(stop("a notice", &mut m));
    }
    m.sync.problem = Some(Label::OfflineKept.into());
    stops.push(stop("offline", &mut m));
    stops
}

fn search_tour() -> Vec<Stop> {
    let mut stops = Vec::new();
    let mut m = signed_in(user_with(Role::Sales));
    drive(&mut m, Event::Search(SearchEvent::Query("王".into())), t0());
    stops.push(stop("search results", &mut m));
    drive(&mut m, Event::Search(SearchEvent::NewCustomer), t0());
    drive(&mut m, Event::Search(SearchEvent::SaveCustomer), t0());
    stops.push(stop("the customer form, refused", &mut m));
    stops
}

/// One follow-up of each kind of reason the rules give (and a manual one, and a rule one
/// stored before rules said why), overdue, due today and upcoming.
fn every_reason(m: &mut Model) {
    use domain::followups::rules::Rule;
    use domain::followups::{FollowUp, FollowUpStatus, Reason, Subject, Why};
    use domain::ids::{AssetId, FollowUpId};
    use domain::ops::Record;

    let me = m.user().cloned().expect("signed in");
    // A manager's follow-ups are about their reps' leads and customers.
    let lead = m.replica.leads().find(|l| l.owner == me.id);
    let lead = lead
        .or_else(|| m.replica.leads().next())
        .expect("leads")
        .clone();
    let customer = m.replica.customers().find(|c| c.owner == Some(me.id));
    let customer = customer.or_else(|| m.replica.customers().next());
    let customer = customer.expect("customers").clone();
    let job = m.replica.jobs().next().expect("jobs").clone();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 12, d).expect("a date");
    let at = |hours: i64| t0() + chrono::Duration::hours(hours);
    let asset = AssetId(uuid::Uuid::nil());
    let (l, c, j) = (
        Subject::Lead(lead.id),
        Subject::Customer(customer.id),
        Subject::Job(job.id),
    );
    let some = |why| Some(why);
    let all = [
        (
            l,
            Some(Rule::FirstContact),
            some(Why::FirstContact {
                interest: lead.interest.category.clone(),
            }),
            at(-50),
            "",
        ),
        (
            l,
            Some(Rule::Cadence),
            some(Why::Cadence { step: 3, of: 4 }),
            at(2),
            "",
        ),
        (
            l,
            Some(Rule::StaleLead),
            some(Why::NoContact { days: 30 }),
            at(80),
            "",
        ),
        (
            j,
            Some(Rule::SatisfactionCall),
            some(Why::JobDone { job: job.number() }),
            at(-30),
            "",
        ),
        (
            j,
            Some(Rule::LowScoreRep),
            some(Why::LowScore {
                job: job.number(),
                score: 2,
            }),
            at(3),
            "",
        ),
        (
            c,
            Some(Rule::Churn),
            some(Why::NoPurchase {
                since: day(1),
                months: 18,
            }),
            at(4),
            "",
        ),
        (
            c,
            Some(Rule::VipCheckIn),
            some(Why::Vip { spend: 1_280_000 }),
            at(100),
            "",
        ),
        (
            c,
            Some(Rule::Maintenance(asset)),
            some(Why::ServiceDue {
                product: "Yamaha U1".into(),
                serial: "U1-001".into(),
                due: day(7),
            }),
            at(5),
            "",
        ),
        (
            c,
            Some(Rule::Warranty(asset)),
            some(Why::WarrantyEnds {
                product: "Yamaha U1".into(),
                serial: "U1-001".into(),
                end: day(9),
            }),
            at(200),
            "",
        ),
        (
            c,
            Some(Rule::Birthday),
            some(Why::Birthday { day: day(7) }),
            at(150),
            "",
        ),
        (
            c,
            Some(Rule::StaleLeadManager),
            None,
            at(6),
            "Cadence step 3 of 4",
        ),
        (l, None, None, at(-3), "bring the brochure"),
    ];
    for (subject, rule, why, due_at, note) in all {
        m.replica.insert(Record::FollowUp(FollowUp {
            id: FollowUpId::new(),
            org: me.org,
            store: customer.store,
            subject,
            due_at,
            reason: rule.map_or(Reason::Manual, |r| r.reason()),
            owner: me.id,
            status: FollowUpStatus::Open,
            note: note.into(),
            why,
            created_at: t0() - chrono::Duration::days(3),
            previous_owners: Vec::new(),
        }));
    }
}

fn sales_tour() -> Vec<Stop> {
    use crate::model::sales::{CardDraft, LeadDraft};
    use crate::model::{FollowUpEvent, SalesEvent};
    use crate::view::{SalesScreen, Screen};
    use domain::followups::rules::Snooze;
    use domain::leads::{InteractionKind, Stage};

    let mut stops = Vec::new();
    let mut m = signed_in(|r| {
        r.leads()
            .find(|l| l.stage == Stage::New)
            .map(|l| l.owner)
            .expect("a new lead")
    });
    every_reason(&mut m);
    drive(&mut m, Event::DismissNotice, t0());
    stops.push(stop(
        "follow-ups with every reason, and the pipeline",
        &mut m,
    ));

    let Screen::Sales(SalesScreen::FollowUps(list)) = ViewModel::from(&m).screen else {
        panic!("the follow-ups")
    };
    let card = list.today[0].id;
    let draft = CardDraft {
        outcome: "回电 called back".into(),
        due: "next week".into(),
    };
    drive(
        &mut m,
        Event::Sales(SalesEvent::CardDraft { id: card, draft }),
        t0(),
    );
    drive(&mut m, Event::Sales(SalesEvent::RescheduleCard(card)), t0());
    stops.push(stop("a card refusing a time it cannot read", &mut m));
    let snooze = FollowUpEvent::Snooze {
        id: list.overdue[0].id,
        choice: Snooze::TomorrowMorning,
    };
    drive(&mut m, Event::FollowUps(snooze), t0());
    stops.push(stop("a snoozed follow-up", &mut m));

    // The lead: moved on with a call, then each refusal of its form.
    let me = m.user().map(|u| u.id);
    let lead = m
        .replica
        .leads()
        .find(|l| Some(l.owner) == me && l.stage == Stage::New)
        .map(|l| l.id)
        .expect("a new lead");
    drive(&mut m, Event::Sales(SalesEvent::OpenLead(lead)), t0());
    stops.push(stop("a new lead", &mut m));
    let typed = |d: LeadDraft| Event::Sales(SalesEvent::LeadDraft(d));
    drive(
        &mut m,
        typed(LeadDraft {
            outcome: "想要 U1 wants a U1".into(),
            ..LeadDraft::default()
        }),
        t0(),
    );
    drive(
        &mut m,
        Event::Sales(SalesEvent::LogOnLead(InteractionKind::Call)),
        t0(),
    );
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Qualified)),
        t0(),
    );
    stops.push(stop("a lead with its timeline", &mut m));
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Lost)),
        t0(),
    );
    stops.push(stop("lost without a reason", &mut m));
    drive(
        &mut m,
        typed(LeadDraft {
            won_value: "a lot".into(),
            ..LeadDraft::default()
        }),
        t0(),
    );
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Won)),
        t0(),
    );
    stops.push(stop("won with a value that is not an amount", &mut m));
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::New)),
        t0(),
    );
    stops.push(stop("a move the pipeline does not allow", &mut m));
    drive(
        &mut m,
        typed(LeadDraft {
            lost_reason: "太贵 ".repeat(100),
            ..LeadDraft::default()
        }),
        t0(),
    );
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Lost)),
        t0(),
    );
    stops.push(stop("a move refused by the pipeline's checks", &mut m));
    drive(&mut m, Event::Sales(SalesEvent::ScheduleOnLead), t0());
    stops.push(stop("a follow-up without a time", &mut m));
    drive(
        &mut m,
        typed(LeadDraft {
            won_value: "12,800".into(),
            due: "2026-11-25T10:00".into(),
            note: "带上目录 brochure".into(),
            ..LeadDraft::default()
        }),
        t0(),
    );
    drive(&mut m, Event::Sales(SalesEvent::ScheduleOnLead), t0());
    drive(
        &mut m,
        Event::Sales(SalesEvent::MoveOpenLead(Stage::Won)),
        t0(),
    );
    stops.push(stop("a won lead", &mut m));
    drive(&mut m, Event::Sales(SalesEvent::CloseLead), t0());
    stops.push(stop("the pipeline with a won lead", &mut m));

    // A store manager has the escalations and the stale leads of the store's reps.
    let mut manager = signed_in(|r| {
        r.users()
            .find(|u| u.roles.contains(&Role::Dispatcher))
            .map(|u| u.id)
            .expect("a dispatcher")
    });
    every_reason(&mut manager);
    stops.push(stop("a manager's follow-ups", &mut manager));
    stops
}

/// Every tour; each area adds its own.
fn tours() -> Vec<Stop> {
    let mut stops = frame_tour();
    // — technician —

    // — sales —
    stops.extend(sales_tour());
    // — dispatcher —

    // — search and the customer form —
    stops.extend(search_tour());
    stops
}

fn render(model: &mut Model, lang: Lang) -> Value {
    model.language = lang;
    serde_json::to_value(ViewModel::from(&*model)).expect("the view model serialises")
}

fn chinese(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c))
}

/// The one-key object `{"text": ...}` a [`Word`] serialises to.
fn as_word(v: &Value) -> Option<&str> {
    match v {
        Value::Object(o) if o.len() == 1 => o.get("text")?.as_str(),
        _ => None,
    }
}

/// Walks both renderings side by side; `key` is the nearest object key above.
fn walk(stop: &str, path: &str, key: &str, en: &Value, zh: &Value, faults: &mut Vec<String>) {
    if NOT_YET.iter().any(|p| path.starts_with(p)) {
        return;
    }
    if let (Some(e), Some(z)) = (as_word(en), as_word(zh)) {
        if e.trim().is_empty() || z.trim().is_empty() {
            faults.push(format!("{stop}: {path}: an empty word"));
        }
        if !chinese(z) {
            faults.push(format!("{stop}: {path}: {z:?} is not Chinese"));
        }
        return;
    }
    match (en, zh) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    Some(vb) => walk(stop, &format!("{path}.{k}"), k, va, vb, faults),
                    None => faults.push(format!("{stop}: {path}.{k}: only in English")),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                faults.push(format!("{stop}: {path}: lists of different lengths"));
            }
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                walk(stop, &format!("{path}[{i}]"), key, va, vb, faults);
            }
        }
        (Value::String(a), Value::String(b)) => {
            if a != b {
                faults.push(format!(
                    "{stop}: {path}: {a:?} / {b:?} changes with the language but is not a Word"
                ));
            } else if !DATA_KEYS.contains(&key) && !a.is_empty() {
                faults.push(format!(
                    "{stop}: {path}: {a:?} under {key:?}: a Word, or data to list in DATA_KEYS?"
                ));
            }
        }
        (a, b) if a != b => faults.push(format!("{stop}: {path}: differs by language")),
        _ => {}
    }
}

#[test]
fn every_screen_reads_in_the_persons_language_and_only_words_change_with_it() {
    let mut faults = Vec::new();
    let stops = tours();
    assert!(stops.len() > 10, "the tours reach every screen");
    for (name, en, zh) in stops {
        walk(&name, "", "", &en, &zh, &mut faults);
    }
    faults.sort();
    faults.dedup();
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn every_label_has_a_word_in_each_language() {
    for &label in Label::ALL {
        let en = domain::words::table(Lang::English).label(label);
        let zh = domain::words::table(Lang::SimplifiedChinese).label(label);
        assert!(!en.trim().is_empty() && !chinese(en), "{label:?}: {en:?}");
        assert!(chinese(zh), "{label:?}: {zh:?}");
    }
}

#[test]
fn a_word_is_told_apart_from_data() {
    let v = serde_json::to_value(Word::new("Save")).unwrap();
    assert_eq!(as_word(&v), Some("Save"));
    assert_eq!(as_word(&serde_json::json!("Save")), None);
}
