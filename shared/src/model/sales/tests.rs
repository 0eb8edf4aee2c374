//! The rep's forms: what was typed survives every refusal, said on the form in the person's
//! language; an applied change clears the fields it used. Amounts and times are read in the
//! core, money is shown in the organization's currency.

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::model::fake_shell::drive;
use crate::model::tests::{signed_in, t0};
use crate::model::{Event, FollowUpEvent, Lang};
use crate::view::sales::LeadDetailView;
use crate::view::{SalesScreen, Screen, ViewModel};
use domain::leads::Lead;

fn rep_with_a_new_lead() -> (Model, LeadId) {
    let model = signed_in(|r| {
        r.leads()
            .find(|l| l.stage == Stage::New)
            .map(|l| l.owner)
            .expect("a new lead")
    });
    let me = model.user().map(|u| u.id);
    let lead = model
        .replica
        .leads()
        .find(|l| Some(l.owner) == me && l.stage == Stage::New)
        .map(|l| l.id)
        .expect("a new lead of the rep");
    (model, lead)
}

fn detail(model: &Model) -> LeadDetailView {
    match ViewModel::from(model).screen {
        Screen::Sales(SalesScreen::Lead(d)) => d,
        other => panic!("not the lead: {other:?}"),
    }
}

fn lead(model: &Model, id: LeadId) -> Lead {
    match model.replica.record(&RecordKey::Lead(id)) {
        Some(Record::Lead(l)) => l.clone(),
        _ => panic!("no lead"),
    }
}

/// Types the draft into the form, field by field.
fn type_in(model: &mut Model, draft: LeadDraft) {
    for (field, value) in [
        (LeadField::Outcome, draft.outcome),
        (LeadField::LostReason, draft.lost_reason),
        (LeadField::WonValue, draft.won_value),
        (LeadField::Due, draft.due),
        (LeadField::Note, draft.note),
    ] {
        drive(
            model,
            Event::Sales(SalesEvent::TypeOnLead { field, value }),
            t0(),
        );
    }
}

fn type_on_card(model: &mut Model, id: FollowUpId, draft: CardDraft) {
    for (field, value) in [
        (CardField::Outcome, draft.outcome),
        (CardField::Due, draft.due),
    ] {
        drive(
            model,
            Event::Sales(SalesEvent::TypeOnCard { id, field, value }),
            t0(),
        );
    }
}

fn act(model: &mut Model, event: SalesEvent) {
    drive(model, Event::Sales(event), t0());
}

/// The form's error in English and in Chinese.
fn error(model: &mut Model) -> (String, String) {
    let en = detail(model).form.error.map(|w| w.text).unwrap_or_default();
    model.language = Lang::SimplifiedChinese;
    let zh = detail(model).form.error.map(|w| w.text).unwrap_or_default();
    model.language = Lang::English;
    (en, zh)
}

#[test]
fn what_the_rep_typed_survives_every_refusal_and_goes_once_applied() {
    let (mut m, id) = rep_with_a_new_lead();
    act(&mut m, SalesEvent::OpenLead(id));
    let queued = m.outbox.len();
    let moves: Vec<Stage> = detail(&m).next_stages.iter().map(|s| s.stage).collect();
    assert_eq!(
        moves,
        vec![
            Stage::Contacted,
            Stage::Qualified,
            Stage::Proposal,
            Stage::Lost
        ],
        "only the moves the pipeline allows; a new lead cannot be won"
    );
    assert_eq!(detail(&m).next_stages[3].label, "Move to Lost");

    // Lost without a reason: said on the form, nothing asked of the data.
    let typed = LeadDraft {
        outcome: "Wants a Yamaha U1".into(),
        won_value: "12,800".into(),
        ..LeadDraft::default()
    };
    type_in(&mut m, typed.clone());
    act(&mut m, SalesEvent::MoveOpenLead(Stage::Lost));
    assert_eq!(
        error(&mut m),
        (
            "Say why the lead was lost.".into(),
            "请说明线索流失的原因。".into()
        )
    );
    assert_eq!(m.outbox.len(), queued);
    assert_eq!(detail(&m).form.draft, typed, "nothing typed is lost");

    // A move the pipeline does not allow (a stale screen): refused in words.
    act(&mut m, SalesEvent::MoveOpenLead(Stage::Won));
    assert!(error(&mut m).1.contains("赢单"), "{:?}", error(&mut m));
    assert_eq!(lead(&m, id).stage, Stage::New);

    // The call is logged: its words go, the rest stays, the error with them.
    act(&mut m, SalesEvent::LogOnLead(InteractionKind::Call));
    assert_eq!(lead(&m, id).stage, Stage::Contacted);
    let d = detail(&m);
    assert_eq!(d.form.error, None);
    assert_eq!(d.form.draft.outcome, "");
    assert_eq!(d.form.draft.won_value, "12,800");
    assert!(d.timeline.iter().any(|e| e.text == "Wants a Yamaha U1"));
    act(&mut m, SalesEvent::MoveOpenLead(Stage::Qualified));

    // A won value that is not an amount.
    type_in(
        &mut m,
        LeadDraft {
            won_value: "about 12k".into(),
            lost_reason: "太贵".repeat(101),
            ..LeadDraft::default()
        },
    );
    act(&mut m, SalesEvent::MoveOpenLead(Stage::Won));
    assert_eq!(
        error(&mut m).0,
        "Enter the won value as an amount in whole units, e.g. 12,800 or 12,800.50."
    );
    assert_eq!(lead(&m, id).stage, Stage::Qualified);

    // A lost reason the data refuses (too long): refused by `apply`, kept on the form.
    let before = m.outbox.len();
    act(&mut m, SalesEvent::MoveOpenLead(Stage::Lost));
    assert!(!error(&mut m).1.is_empty());
    assert_eq!(m.outbox.len(), before);
    assert_eq!(m.notice, None, "said on the form, not in the banner");
    assert_eq!(detail(&m).form.draft.lost_reason, "太贵".repeat(101));

    // Won at last: the amount is read in the core, and shown in the currency.
    type_in(
        &mut m,
        LeadDraft {
            won_value: "¥12,800".into(),
            ..LeadDraft::default()
        },
    );
    act(&mut m, SalesEvent::MoveOpenLead(Stage::Won));
    assert_eq!(lead(&m, id).won_value, Some(1_280_000));
    let d = detail(&m);
    assert_eq!(d.form.draft, LeadDraft::default());
    assert_eq!(d.won_value.map(|v| v.shown), Some("¥12,800".into()));
    assert!(d.next_stages.is_empty(), "a won lead moves no more");
    assert!(
        d.timeline
            .iter()
            .any(|e| e.change.as_deref() == Some("Qualified → Won"))
    );
}

#[test]
fn the_next_follow_up_is_read_in_the_stores_zone_and_a_bad_time_is_kept() {
    let (mut m, id) = rep_with_a_new_lead();
    act(&mut m, SalesEvent::OpenLead(id));
    act(&mut m, SalesEvent::ScheduleOnLead);
    assert_eq!(
        error(&mut m),
        (
            "Pick the date and time of the follow-up.".into(),
            "请选择跟进的日期和时间。".into()
        )
    );
    let typed = LeadDraft {
        due: "2026-11-31T10:00".into(),
        note: "bring the brochure".into(),
        ..LeadDraft::default()
    };
    type_in(&mut m, typed.clone());
    act(&mut m, SalesEvent::ScheduleOnLead);
    assert_eq!(error(&mut m).0, "That date and time is not valid.");
    assert_eq!(detail(&m).form.draft, typed);

    type_in(
        &mut m,
        LeadDraft {
            due: "2026-11-25T10:00".into(),
            ..typed
        },
    );
    act(&mut m, SalesEvent::ScheduleOnLead);
    let planned = m
        .replica
        .follow_ups()
        .find(|f| f.subject == Subject::Lead(id) && f.reason == Reason::Manual && f.is_open())
        .cloned()
        .expect("planned");
    // 10:00 in Shanghai.
    assert_eq!(
        planned.due_at,
        Utc.with_ymd_and_hms(2026, 11, 25, 2, 0, 0).unwrap()
    );
    assert_eq!(detail(&m).form.draft, LeadDraft::default());
    assert_eq!(detail(&m).form.error, None);
}

#[test]
fn a_card_keeps_what_was_typed_on_it_until_its_change_is_applied() {
    let (mut m, id) = rep_with_a_new_lead();
    act(&mut m, SalesEvent::OpenLead(id));
    type_in(
        &mut m,
        LeadDraft {
            due: "2026-11-23T15:00".into(),
            ..LeadDraft::default()
        },
    );
    act(&mut m, SalesEvent::ScheduleOnLead);
    act(&mut m, SalesEvent::CloseLead);
    let card = m
        .replica
        .follow_ups()
        .find(|f| f.subject == Subject::Lead(id) && f.reason == Reason::Manual)
        .map(|f| f.id)
        .expect("the card");
    let shown = |m: &Model| {
        let Screen::Sales(SalesScreen::FollowUps(list)) = ViewModel::from(m).screen else {
            panic!("the follow-ups")
        };
        list.today
            .into_iter()
            .chain(list.upcoming)
            .find(|c| c.id == card)
            .expect("shown")
    };
    let draft = CardDraft {
        outcome: "No answer".into(),
        due: "soon".into(),
    };
    type_on_card(&mut m, card, draft.clone());
    act(&mut m, SalesEvent::RescheduleCard(card));
    let c = shown(&m);
    assert_eq!(c.error.as_deref(), Some("That date and time is not valid."));
    assert_eq!(c.draft, draft);
    assert_eq!(c.label, "Follow-up");
    assert_eq!(c.snooze.len(), 2);

    type_on_card(
        &mut m,
        card,
        CardDraft {
            due: "2026-11-26T09:30".into(),
            ..draft
        },
    );
    act(&mut m, SalesEvent::RescheduleCard(card));
    let c = shown(&m);
    assert_eq!(c.error, None);
    assert_eq!(
        c.draft,
        CardDraft {
            outcome: "No answer".into(),
            due: String::new()
        }
    );
    assert_eq!(
        c.due_ms,
        Utc.with_ymd_and_hms(2026, 11, 26, 1, 30, 0)
            .unwrap()
            .timestamp_millis()
    );
    act(
        &mut m,
        SalesEvent::LogOnCard {
            id: card,
            kind: InteractionKind::Call,
        },
    );
    assert_eq!(shown(&m).draft, CardDraft::default());
    assert_eq!(
        lead(&m, id).stage,
        Stage::Contacted,
        "the call reached the lead"
    );

    drive(
        &mut m,
        Event::FollowUps(FollowUpEvent::Complete(card)),
        t0() + Duration::minutes(1),
    );
    type_on_card(&mut m, card, CardDraft::default());
    assert!(m.sales.cards.is_empty(), "a done card's fields are dropped");
}

#[test]
fn money_is_shown_in_the_organizations_currency_in_each_language() {
    let (mut m, _) = rep_with_a_new_lead();
    for lang in Lang::ALL {
        m.language = lang;
        let Screen::Sales(SalesScreen::FollowUps(list)) = ViewModel::from(&m).screen else {
            panic!("the follow-ups")
        };
        for stage in &list.pipeline {
            assert!(stage.value.shown.starts_with('¥'), "{:?}", stage.value);
            for card in &stage.leads {
                assert_eq!(
                    card.expected_value.shown,
                    format!(
                        "¥{}",
                        domain::money::digits(card.expected_value.minor, "CNY")
                    )
                );
            }
        }
        let names: Vec<String> = list
            .pipeline
            .iter()
            .flat_map(|s| s.leads.iter().map(|c| c.interest.text.clone()))
            .collect();
        let expected = if lang == Lang::English {
            "Piano"
        } else {
            "钢琴"
        };
        assert!(
            names.iter().any(|n| n == expected),
            "interests by name: {names:?}"
        );
    }
}

/// A shell sends one field at a time: what was typed in another field just before, and not
/// yet shown back by a view, stays.
#[test]
fn a_field_typed_leaves_the_other_fields_as_typed() {
    let (mut m, lead) = rep_with_a_new_lead();
    act(&mut m, SalesEvent::OpenLead(lead));
    let typed = |m: &mut Model, field, value: &str| {
        let value = value.into();
        drive(
            m,
            Event::Sales(SalesEvent::TypeOnLead { field, value }),
            t0(),
        );
    };
    typed(&mut m, LeadField::Due, "2026-11-26T09:30");
    typed(&mut m, LeadField::Note, "bring the brochure");
    typed(
        &mut m,
        LeadField::Note,
        "bring the brochure and the price list",
    );
    let form = detail(&m).form.draft;
    assert_eq!(form.due, "2026-11-26T09:30");
    assert_eq!(form.note, "bring the brochure and the price list");
    assert_eq!(form.outcome, "");
}

fn org_settings(model: &Model) -> domain::org::OrgSettings {
    model
        .replica
        .iter()
        .find_map(|r| match r {
            Record::Org(o) => Some(o.settings.clone()),
            _ => None,
        })
        .expect("the organization")
}

fn follow_ups_view(model: &Model) -> crate::view::sales::FollowUpsView {
    match ViewModel::from(model).screen {
        Screen::Sales(SalesScreen::FollowUps(v)) => v,
        other => panic!("not the follow-ups: {other:?}"),
    }
}

/// Issue 16: reps faced hundreds of overdue follow-ups in one list. The day holds what they
/// can do, ranked; the rest is a backlog, summed up, a page at a time, sortable, and can be
/// handed to a colleague.
#[test]
fn a_reps_day_holds_what_they_can_do_and_the_rest_waits_in_a_backlog_they_can_hand_out() {
    let (mut model, lead) = rep_with_a_new_lead();
    let me = model.user().unwrap().clone();
    let template = model
        .replica
        .follow_ups()
        .find(|f| f.owner == me.id)
        .cloned()
        .expect("a follow-up of the rep");
    // Sixty more due, some long overdue, of two kinds and varying value.
    for k in 0..60u128 {
        let mut f = template.clone();
        f.id = FollowUpId::from_parts(1_900_000_000_000, 5_000 + k);
        f.subject = domain::followups::Subject::Lead(lead);
        f.status = domain::followups::FollowUpStatus::Open;
        f.due_at = t0() - Duration::days(i64::try_from(k % 20).unwrap() + 1);
        f.reason = if k % 3 == 0 {
            Reason::Rule("low-score-rep".into())
        } else {
            Reason::Manual
        };
        model.replica.insert(Record::FollowUp(f));
    }
    drive(&mut model, Event::DismissNotice, t0());
    let v = follow_ups_view(&model);
    let settings = org_settings(&model);
    let capacity = me.day_capacity(&settings);
    assert_eq!(
        v.overdue.len() + v.today.len(),
        capacity,
        "the day is full, not more"
    );
    let backlog = v.backlog.clone().expect("a backlog");
    let due_open = model
        .replica
        .follow_ups()
        .filter(|f| {
            f.owner == me.id && f.is_open() && f.effective_due().date_naive() <= t0().date_naive()
        })
        .count();
    assert_eq!(backlog.page.total as usize + capacity, due_open);
    assert_eq!(backlog.cards.len(), 10, "one page at a time");
    assert_eq!(
        backlog.by_kind.iter().map(|k| k.count).sum::<u32>(),
        backlog.page.total,
        "every backlog item is counted once by kind"
    );
    assert!(
        backlog.summary.contains(&format!("({capacity} a day)")),
        "{}",
        backlog.summary
    );
    // Nothing in the backlog outranks anything in the day.
    let worst_in_day = v
        .overdue
        .iter()
        .chain(&v.today)
        .map(|c| (c.urgency, c.due_ms))
        .max()
        .unwrap();
    let best_in_backlog = backlog
        .cards
        .iter()
        .map(|c| (c.urgency, c.due_ms))
        .min()
        .unwrap();
    assert!(
        worst_in_day <= best_in_backlog,
        "{worst_in_day:?} vs {best_in_backlog:?}"
    );
    // Pages and sorts.
    act(&mut model, SalesEvent::BacklogPage(1));
    let second = follow_ups_view(&model).backlog.unwrap();
    assert_eq!(second.page.index, 1);
    assert!(
        second
            .cards
            .iter()
            .all(|c| backlog.cards.iter().all(|d| d.id != c.id))
    );
    act(&mut model, SalesEvent::BacklogSort(BacklogSort::Oldest));
    let oldest = follow_ups_view(&model).backlog.unwrap();
    assert_eq!(oldest.page.index, 0, "a new order starts at its first page");
    assert!(oldest.cards.windows(2).all(|w| w[0].due_ms <= w[1].due_ms));
    // Handed to a colleague of the store: one op, and it leaves this rep's lists.
    let colleague = backlog.hand_to.first().expect("a colleague").id;
    assert!(backlog.hand_to.iter().all(|c| c.id != me.id));
    let card = oldest.cards[0].id;
    let pending = model.outbox.len();
    act(
        &mut model,
        SalesEvent::HandOut {
            id: card,
            to: colleague,
        },
    );
    assert_eq!(model.outbox.len(), pending + 1);
    let after = follow_ups_view(&model);
    let left = after.backlog.unwrap();
    assert_eq!(left.page.total + 1, oldest.page.total);
    assert!(
        left.cards
            .iter()
            .chain(&after.overdue)
            .chain(&after.today)
            .all(|c| c.id != card)
    );
    // In Chinese too.
    drive(
        &mut model,
        Event::SetLanguage(Lang::SimplifiedChinese),
        t0(),
    );
    let zh = follow_ups_view(&model).backlog.unwrap();
    assert!(zh.summary.contains("超出今日容量"), "{}", zh.summary);
}

fn board_of(model: &Model) -> crate::view::dispatcher::BoardView {
    match ViewModel::from(model).screen {
        Screen::Dispatcher(crate::view::DispatcherScreen::Board(b)) => b,
        other => panic!("not the board: {other:?}"),
    }
}

/// Issue 16, item 3: the rest of a rep's day "is summarised in a backlog that they or their
/// store's dispatcher can sort and hand out". The board lists the store's reps by how much
/// waits beyond their day; the dispatcher opens one rep's backlog, sorts and pages it, and
/// hands a card to another rep of the store.
#[test]
fn a_stores_dispatcher_sees_each_reps_load_and_hands_out_a_backlog() {
    use crate::model::DispatcherEvent;
    use domain::org::Role;
    let mut model = signed_in(crate::model::tests::user_with(Role::Dispatcher));
    let me = model.user().unwrap().clone();
    let rep = model
        .replica
        .users()
        .find(|u| u.has(Role::Sales) && u.stores.iter().any(|s| me.manages_store(*s)))
        .cloned()
        .expect("a rep of the dispatcher's store");
    let template = model
        .replica
        .follow_ups()
        .next()
        .cloned()
        .expect("a follow-up");
    for k in 0..45u128 {
        let mut f = template.clone();
        f.id = FollowUpId::from_parts(1_900_000_000_000, 7_000 + k);
        f.owner = rep.id;
        f.status = domain::followups::FollowUpStatus::Open;
        f.store = rep.stores[0];
        f.previous_owners.clear();
        f.due_at = t0() - Duration::days(i64::try_from(k % 9).unwrap() + 1);
        model.replica.insert(Record::FollowUp(f));
    }
    drive(&mut model, Event::DismissNotice, t0());
    let board = board_of(&model);
    let settings = org_settings(&model);
    let capacity = rep.day_capacity(&settings);
    let due = model
        .replica
        .follow_ups()
        .filter(|f| f.owner == rep.id && f.is_open() && f.effective_due() <= t0())
        .count();
    assert!(due > capacity + 10, "{due} due, {capacity} a day");
    let load = board.reps.iter().find(|r| r.id == rep.id).expect("listed");
    assert_eq!(load.backlog as usize, due - capacity);
    assert!(
        load.load
            .contains(&format!("{capacity} of {capacity} today")),
        "{}",
        load.load
    );
    assert!(
        board.reps.windows(2).all(|w| w[0].backlog >= w[1].backlog),
        "most waiting first"
    );
    assert!(
        board.reps.iter().all(|r| model
            .replica
            .users()
            .any(|u| u.id == r.id && u.has(Role::Sales))),
        "reps only"
    );
    assert!(board.rep_backlog.is_none(), "nothing opened yet");

    drive(
        &mut model,
        Event::Dispatcher(DispatcherEvent::RepBacklog(Some(rep.id))),
        t0(),
    );
    let opened = board_of(&model).rep_backlog.expect("the rep's backlog");
    assert_eq!(opened.rep.id, rep.id);
    assert_eq!(opened.backlog.page.total, load.backlog);
    assert!(opened.backlog.summary.contains(&rep.name));
    assert!(!opened.backlog.hand_to.is_empty());
    assert!(opened.backlog.hand_to.iter().all(|c| c.id != rep.id
        && model.replica.users().any(|u| u.id == c.id
            && u.has(Role::Sales)
            && u.stores.iter().any(|s| rep.in_store(*s)))));
    // Sorted and paged as the rep's own.
    act(&mut model, SalesEvent::BacklogSort(BacklogSort::Oldest));
    act(&mut model, SalesEvent::BacklogPage(1));
    let second = board_of(&model).rep_backlog.unwrap().backlog;
    assert_eq!(second.sort, BacklogSort::Oldest);
    assert_eq!(second.page.index, 1);
    act(&mut model, SalesEvent::BacklogPage(0));
    let first = board_of(&model).rep_backlog.unwrap().backlog;
    assert!(first.cards.windows(2).all(|w| w[0].due_ms <= w[1].due_ms));
    // Handed to another rep: one op naming them, and the rep's backlog is one shorter.
    let to = first.hand_to[0].id;
    let card = first.cards[0].id;
    let pending = model.outbox.len();
    act(&mut model, SalesEvent::HandOut { id: card, to });
    assert_eq!(model.outbox.len(), pending + 1);
    assert!(model.outbox.ops().any(|o| matches!(
        o.kind,
        OpKind::ReassignFollowUp { follow_up, owner } if follow_up == card && owner == to
    )));
    let after = board_of(&model);
    assert_eq!(
        after.rep_backlog.unwrap().backlog.page.total + 1,
        first.page.total
    );
    // Closed again, and in Chinese.
    drive(
        &mut model,
        Event::Dispatcher(DispatcherEvent::RepBacklog(None)),
        t0(),
    );
    assert!(board_of(&model).rep_backlog.is_none());
    drive(
        &mut model,
        Event::SetLanguage(Lang::SimplifiedChinese),
        t0(),
    );
    let zh = board_of(&model);
    let load = zh.reps.iter().find(|r| r.id == rep.id).unwrap();
    assert!(load.load.contains("今日"), "{}", load.load);
}

/// Issue 16, item 2: settings as data. An admin's board has the settings; a switch or a number
/// changed there is one op, and the board shows the new value; a number nobody could mean is
/// refused in words and changes nothing. The dispatcher sets a rep's day and sees it in the
/// rep's load; a dispatcher has no settings panel.
#[test]
fn settings_change_from_the_console_and_a_dispatcher_sets_a_reps_day() {
    use crate::model::DispatcherEvent;
    use crate::model::settings::{SettingKey, SettingsEvent};
    use domain::org::Role;
    let send = |m: &mut Model, e: SettingsEvent| {
        drive(m, Event::Dispatcher(DispatcherEvent::Settings(e)), t0());
    };
    let mut admin = signed_in(crate::model::tests::user_with(Role::Admin));
    // An admin opens on the people and stores; the settings are on the board too.
    assert!(matches!(
        ViewModel::from(&admin).screen,
        Screen::Dispatcher(crate::view::DispatcherScreen::BackOffice(_))
    ));
    drive(
        &mut admin,
        Event::Dispatcher(DispatcherEvent::Console(
            crate::model::back_office::ConsolePage::Board,
        )),
        t0(),
    );
    let row = |m: &Model, key: SettingKey| {
        board_of(m)
            .settings
            .expect("an admin's settings")
            .rows
            .into_iter()
            .find(|r| r.key == key)
            .unwrap()
    };
    assert_eq!(row(&admin, SettingKey::Birthday).on, Some(true));
    let pending = admin.outbox.len();
    send(
        &mut admin,
        SettingsEvent::Switch {
            key: SettingKey::Birthday,
            on: false,
        },
    );
    assert_eq!(admin.outbox.len(), pending + 1);
    assert!(
        admin
            .outbox
            .ops()
            .any(|o| matches!(&o.kind, OpKind::UpdateSettings(p)
                if p.follow_up_rules.as_ref().is_some_and(|r| !r.birthday.enabled))),
    );
    assert_eq!(row(&admin, SettingKey::Birthday).on, Some(false));
    send(
        &mut admin,
        SettingsEvent::Number {
            key: SettingKey::StaleLead,
            value: " 45 ".into(),
        },
    );
    assert_eq!(
        row(&admin, SettingKey::StaleLead).number.as_deref(),
        Some("45")
    );
    assert_eq!(row(&admin, SettingKey::Birthday).on, Some(false), "kept");
    // Nonsense is said, and nothing is queued.
    let pending = admin.outbox.len();
    for value in ["many", "0"] {
        drive(&mut admin, Event::DismissNotice, t0());
        assert!(ViewModel::from(&admin).notice.is_none());
        send(
            &mut admin,
            SettingsEvent::Number {
                key: SettingKey::BacklogAlertThreshold,
                value: value.into(),
            },
        );
        assert!(ViewModel::from(&admin).notice.is_some(), "{value}");
    }
    assert_eq!(admin.outbox.len(), pending);
    assert_ne!(
        row(&admin, SettingKey::BacklogAlertThreshold)
            .number
            .as_deref(),
        Some("0")
    );

    let mut dispatcher = signed_in(crate::model::tests::user_with(Role::Dispatcher));
    assert!(board_of(&dispatcher).settings.is_none(), "the admins' only");
    let rep = board_of(&dispatcher).reps[0].clone();
    assert_eq!(rep.capacity, "", "the organization's default");
    drive(
        &mut dispatcher,
        Event::Dispatcher(DispatcherEvent::Settings(SettingsEvent::Capacity {
            user: rep.id,
            value: "12".into(),
        })),
        t0(),
    );
    let after = board_of(&dispatcher);
    let load = after.reps.iter().find(|r| r.id == rep.id).unwrap();
    assert_eq!(load.capacity, "12");
    assert!(load.load.contains("of 12 today"), "{}", load.load);
}
