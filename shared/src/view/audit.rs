//! The admin's audit browser (`model::audit`), worded: who, when, what, from which device.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use crate::model::audit::DAYS;
use domain::audit::AuditKind;
use domain::ids::UserId;
use domain::ops::Record;
use domain::words::Label;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AuditView {
    pub title: Word,
    pub show: Word,
    /// The choice of no one in particular, and whether it is the one made.
    pub anyone: Word,
    pub anyone_chosen: bool,
    pub people: Vec<PersonChoice>,
    pub kinds: Vec<KindChoice>,
    pub days: Vec<DaysChoice>,
    /// `None` until shown.
    pub lines: Option<Vec<AuditLine>>,
    pub empty: Option<Word>,
    /// The button for the next page, when there is one.
    pub more: Option<Word>,
    pub loading: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PersonChoice {
    pub user: UserId,
    pub name: String,
    pub chosen: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct KindChoice {
    pub kind: Option<AuditKind>,
    pub label: Word,
    pub chosen: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DaysChoice {
    pub days: u16,
    pub label: Word,
    pub chosen: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AuditLine {
    pub seq: u64,
    pub at: String,
    pub who: String,
    pub what: Word,
    pub device: String,
}

pub(crate) fn view(model: &Model, ctx: &Ctx, me: &domain::org::User) -> Option<AuditView> {
    if !me.has(domain::org::Role::Admin) {
        return None;
    }
    let b = &model.audit;
    let mut people: Vec<PersonChoice> = model
        .replica
        .users()
        .map(|u| PersonChoice {
            user: u.id,
            name: u.name.clone(),
            chosen: b.person == Some(u.id),
        })
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));
    let kinds = std::iter::once(None)
        .chain(AuditKind::ALL.into_iter().map(Some))
        .map(|k| KindChoice {
            kind: k,
            label: match k {
                None => Word::label(ctx.t, Label::AuditAnything),
                Some(k) => Word::new(ctx.t.audit_kind(k)),
            },
            chosen: b.kind == k,
        })
        .collect();
    let name = |id: UserId| match model.replica.record(&domain::ops::RecordKey::User(id)) {
        Some(Record::User(u)) => u.name.clone(),
        _ => id.to_string(),
    };
    let lines = b.entries.as_ref().map(|entries| {
        entries
            .iter()
            .rev()
            .map(|e| AuditLine {
                seq: e.seq,
                at: format!("{} {}", ctx.date(ctx.local_date(e.at)), ctx.when(e.at)),
                who: name(e.actor),
                what: Word::new(ctx.t.audit_what(&e.what)),
                device: e.device.clone(),
            })
            .collect::<Vec<_>>()
    });
    Some(AuditView {
        title: Word::label(ctx.t, Label::AuditTitle),
        show: Word::label(ctx.t, Label::AuditShow),
        anyone: Word::label(ctx.t, Label::AuditAnyone),
        anyone_chosen: b.person.is_none(),
        people,
        kinds,
        days: DAYS
            .iter()
            .map(|d| DaysChoice {
                days: *d,
                label: Word::new(ctx.t.days_back(*d)),
                chosen: *d == b.days,
            })
            .collect(),
        empty: lines
            .as_ref()
            .is_some_and(Vec::is_empty)
            .then(|| Word::label(ctx.t, Label::AuditNone)),
        lines,
        more: b.next.map(|_| Word::label(ctx.t, Label::AuditMore)),
        loading: b.loading,
    })
}
