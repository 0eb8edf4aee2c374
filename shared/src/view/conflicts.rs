//! The conflict inbox (`model/conflicts.rs`), the same on every role's screens: each open
//! conflict with both values, who made each and when, and the one-tap choices.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use domain::conflicts::{Conflict, FieldValue, Side};
use domain::ids::{ConflictId, CustomerId};
use domain::ops::customers::CustomerField;
use domain::ops::{Record, RecordKey};
use domain::words::{Label, Table};

super::words::label_set! {
    /// The conflict inbox.
    ConflictLabels {
        title: Conflicts,
        none: NoConflicts,
        explained: ConflictExplained,
        use_typed: ConflictUseTyped,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct ConflictsView {
    /// Open conflicts, for the count in the top bar.
    pub count: u32,
    /// "2 conflicts to settle"; `None` when there are none.
    pub count_words: Option<Word>,
    /// The most recent first.
    pub items: Vec<ConflictCard>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ConflictCard {
    pub id: ConflictId,
    pub customer: Option<CustomerId>,
    pub customer_name: String,
    pub number: String,
    /// The field both edits changed, as the customer form names it.
    pub field_name: Word,
    /// The value on the record first, then the one set aside.
    pub sides: Vec<ConflictSideView>,
    /// The inbox offers to type another value (name, phones, street).
    pub editable: bool,
    /// What the typing field starts with: the value on the record, as the form shows it.
    pub typed: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ConflictSideView {
    /// The value, as the record holds it (masked where the person sees the customer masked);
    /// empty when the value is worded instead ([`ConflictSideView::value_word`]).
    pub value: String,
    /// A value that is a word of the tables (a tier, a kind of customer, yes or no).
    pub value_word: Option<Word>,
    /// `true`: on the record now (send `KeepKept`); `false`: set aside (`KeepSetAside`).
    pub on_record: bool,
    /// "On the record now" or "Set aside".
    pub state: Word,
    /// "You" or "A colleague".
    pub who: Word,
    /// The colleague's name, when this device knows them.
    pub who_name: Option<String>,
    pub at: String,
    /// "Keep mine", "Keep theirs", or, for someone who made neither edit, "Keep this".
    pub keep: Word,
}

pub fn view(model: &Model, ctx: &Ctx) -> ConflictsView {
    let open = model.open_conflicts();
    let count = u32::try_from(open.len()).unwrap_or(u32::MAX);
    ConflictsView {
        count,
        count_words: (count > 0).then(|| Word::new(ctx.t.conflicts_waiting(count))),
        items: open.into_iter().map(|c| card(model, ctx, c)).collect(),
    }
}

fn card(model: &Model, ctx: &Ctx, c: &Conflict) -> ConflictCard {
    let t = ctx.t;
    let me = model.user().map(|u| u.id);
    let author = c.authors().iter().any(|a| Some(*a) == me);
    let customer = match model.replica.record(&c.record) {
        Some(Record::Customer(x)) => Some(x),
        _ => None,
    };
    let side = |s: &Side, on_record: bool| {
        let mine = Some(s.by) == me;
        ConflictSideView {
            value: match &s.value {
                _ if worded(t, &s.value).is_some() => String::new(),
                FieldValue::Owner(Some(rep)) => {
                    match model.replica.record(&RecordKey::User(*rep)) {
                        Some(Record::User(u)) => u.name.clone(),
                        _ => s.value.as_text(),
                    }
                }
                v => v.as_text(),
            },
            value_word: worded(t, &s.value).map(Word::new),
            on_record,
            state: Word::label(
                t,
                if on_record {
                    Label::ConflictOnRecord
                } else {
                    Label::ConflictSetAside
                },
            ),
            who: Word::label(
                t,
                if mine {
                    Label::ConflictByYou
                } else {
                    Label::ConflictByColleague
                },
            ),
            who_name: (!mine)
                .then(|| match model.replica.record(&RecordKey::User(s.by)) {
                    Some(Record::User(u)) => Some(u.name.clone()),
                    _ => None,
                })
                .flatten(),
            at: ctx.when(s.at),
            keep: Word::label(
                t,
                match (author, mine) {
                    (false, _) => Label::KeepThis,
                    (true, true) => Label::KeepMine,
                    (true, false) => Label::KeepTheirs,
                },
            ),
        }
    };
    ConflictCard {
        id: c.id,
        customer: customer.map(|x| x.id),
        customer_name: customer.map(|x| x.name.clone()).unwrap_or_default(),
        number: customer.map(|x| x.number()).unwrap_or_default(),
        field_name: Word::label(t, field_label(c.field)),
        sides: vec![side(&c.kept, true), side(&c.set_aside, false)],
        editable: crate::model::conflicts::editable(c.field),
        typed: match &c.kept.value {
            FieldValue::Address(a) => a.street.clone(),
            v => v.as_text(),
        },
    }
}

/// A value that is a word of the person's language rather than data.
fn worded(t: &dyn Table, v: &FieldValue) -> Option<&'static str> {
    match v {
        FieldValue::Tier(x) => Some(t.tier(*x)),
        FieldValue::Kind(x) => Some(t.customer_kind(*x)),
        FieldValue::MarketingConsent(yes) => Some(t.label(if *yes {
            Label::ConsentGiven
        } else {
            Label::ConsentNotGiven
        })),
        _ => None,
    }
}

fn field_label(f: CustomerField) -> Label {
    match f {
        CustomerField::Name => Label::FieldName,
        CustomerField::Phones => Label::FieldPhoneNumbers,
        CustomerField::Address => Label::FieldAddress,
        CustomerField::Kind => Label::FieldCustomerKind,
        CustomerField::Tags => Label::FieldTags,
        CustomerField::MarketingConsent => Label::FieldMarketingConsent,
        CustomerField::Birthday => Label::FieldBirthday,
        CustomerField::Tier => Label::FieldTier,
        CustomerField::Owner => Label::FieldCustomerOwner,
    }
}
