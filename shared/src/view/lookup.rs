//! The search box and the customer form, the same on every role's screens.
//!
//! Highlights are given as the field's text cut into parts, each marked or not, rather than as
//! offsets: the index measures in UTF-8 bytes, while Swift, Kotlin and JavaScript strings count
//! other units, and a shell that only concatenates parts cannot get them wrong.

use super::record_sync::Marks;
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use crate::model::Model;
use crate::model::lookup::{CustomerDraft, FormField};
use domain::customers::Customer;
use domain::ids::CustomerId;
use domain::lookup::{DuplicateReason, FieldMatch, Hit, MatchedField, address_text};
use domain::ops::{Record, RecordKey};
use domain::words::{Label, Table};

super::words::label_set! {
    /// Customer search and the customer form, on every role's screens.
    LookupLabels {
        placeholder: SearchPlaceholder,
        edit: Edit,
        new_job_for_customer: NewJobForCustomer,
        nothing_found: NothingFound,
        new_customer: NewCustomer,
        form_title: CustomerForm,
        possible_duplicates: PossibleDuplicates,
        merge_into_this: MergeIntoThis,
        merge: Merge,
        not_the_same: NotTheSame,
        saving: Saving,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct LookupView {
    pub query: String,
    /// Best first.
    pub results: Vec<LookupResult>,
    /// The query found nothing (as opposed to: nothing typed yet).
    pub nothing_found: bool,
    pub form: Option<CustomerFormView>,
    /// Customers that are probably one, found when they changed (two devices created the same
    /// customer offline, say); shown to those who may merge them.
    pub possible_duplicates: Vec<DuplicatePairView>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DuplicatePairView {
    pub a: DuplicateView,
    pub b: DuplicateView,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LookupResult {
    pub customer: CustomerId,
    pub number: String,
    pub name: String,
    /// District and street, for telling namesakes apart.
    pub place: String,
    /// Where the query matched; never empty.
    pub matched: Vec<MatchView>,
    /// Whether this person may edit the customer's details (the write rules of `apply`).
    pub editable: bool,
    /// Whether a change to the customer waits to sync or was refused.
    pub sync: super::record_sync::RecordSync,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MatchView {
    /// "Name", "Phone", "Address", "Lead", "Customer number", "Serial number", "Job number".
    pub field: Word,
    /// The field's text, cut into parts; the matched ones are marked.
    pub parts: Vec<TextPart>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TextPart {
    pub text: String,
    pub highlight: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CustomerFormView {
    /// `None` for a new customer.
    pub editing: Option<CustomerId>,
    pub draft: CustomerDraft,
    /// The fields to show, in order, with their words and what is typed in them.
    pub fields: Vec<FormFieldView>,
    /// Likely duplicates, shown before saving.
    pub duplicates: Vec<DuplicateView>,
    /// Whether this user may merge the customer being edited with a duplicate: a manager of
    /// both customers' stores (the rule `apply` enforces); others only see the warning.
    pub can_merge: bool,
    /// Saved, waiting to be applied on this device.
    pub saving: bool,
    /// Why the last save was refused; the draft above is still what was typed.
    pub error: Option<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FormFieldView {
    pub field: FormField,
    pub label: Word,
    /// As typed.
    pub value: String,
    /// A telephone keypad suits it.
    pub phone: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DuplicateView {
    pub customer: CustomerId,
    pub number: String,
    pub name: String,
    pub place: String,
    /// "Same phone number" or "Similar name nearby".
    pub reason: Word,
}

fn customer(model: &Model, id: CustomerId) -> Option<&Customer> {
    match model.replica.record(&RecordKey::Customer(id)) {
        Some(Record::Customer(c)) => Some(c),
        _ => None,
    }
}

fn place(c: &Customer) -> String {
    [c.address.district.as_str(), c.address.street.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Cuts `text` at the byte ranges; ranges that do not fall on character boundaries (the
/// record changed since the search) leave the text unmarked rather than panic.
fn parts(text: &str, ranges: &[std::ops::Range<usize>]) -> Vec<TextPart> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end <= r.start
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            out.push(TextPart {
                text: text[at..r.start].to_owned(),
                highlight: false,
            });
        }
        out.push(TextPart {
            text: text[r.clone()].to_owned(),
            highlight: true,
        });
        at = r.end;
    }
    if at < text.len() {
        out.push(TextPart {
            text: text[at..].to_owned(),
            highlight: false,
        });
    }
    out
}

fn match_view(model: &Model, c: &Customer, m: &FieldMatch) -> Option<MatchView> {
    let t = domain::words::table(model.language);
    let whole = |label: Label, text: String| MatchView {
        field: Word::label(t, label),
        parts: vec![TextPart {
            text,
            highlight: true,
        }],
    };
    Some(match m.field {
        MatchedField::Name => MatchView {
            field: Word::label(t, Label::MatchName),
            parts: parts(&c.name, &m.ranges),
        },
        MatchedField::Phone { index } => MatchView {
            field: Word::label(t, Label::MatchPhone),
            parts: parts(&c.phones.get(usize::from(index))?.raw, &m.ranges),
        },
        MatchedField::Address => MatchView {
            field: Word::label(t, Label::MatchAddress),
            parts: parts(&address_text(&c.address), &m.ranges),
        },
        MatchedField::Lead { lead } => {
            let Some(Record::Lead(l)) = model.replica.record(&RecordKey::Lead(lead)) else {
                return None;
            };
            MatchView {
                field: Word::label(t, Label::MatchLead),
                parts: parts(&l.name, &m.ranges),
            }
        }
        MatchedField::CustomerNumber => whole(Label::MatchCustomerNumber, c.number()),
        MatchedField::SerialNumber { asset } => {
            let Some(Record::Asset(a)) = model.replica.record(&RecordKey::Asset(asset)) else {
                return None;
            };
            whole(Label::MatchSerialNumber, a.serial_number.clone())
        }
        MatchedField::JobNumber { job } => {
            let Some(Record::Job(j)) = model.replica.record(&RecordKey::Job(job)) else {
                return None;
            };
            whole(Label::MatchJobNumber, j.number())
        }
    })
}

fn editable(model: &Model, c: &domain::customers::Customer) -> bool {
    model.user().is_some_and(|u| {
        domain::ops::customers::allowed_to_change(u, c, domain::ops::customers::CustomerField::Name)
    })
}

fn result(model: &Model, marks: &Marks, hit: &Hit) -> Option<LookupResult> {
    let c = customer(model, hit.customer)?;
    let mut matched: Vec<MatchView> = hit
        .matched
        .iter()
        .filter_map(|m| match_view(model, c, m))
        .collect();
    if matched.is_empty() {
        matched.push(MatchView {
            field: Word::label(domain::words::table(model.language), Label::MatchName),
            parts: parts(&c.name, &[]),
        });
    }
    Some(LookupResult {
        customer: c.id,
        number: c.number(),
        name: c.name.clone(),
        place: place(c),
        matched,
        editable: editable(model, c),
        sync: marks.get(domain::ops::RecordKey::Customer(c.id)),
    })
}

fn duplicate_view(model: &Model, id: CustomerId, reason: DuplicateReason) -> Option<DuplicateView> {
    let c = customer(model, id)?;
    Some(DuplicateView {
        customer: c.id,
        number: c.number(),
        name: c.name.clone(),
        place: place(c),
        reason: Word::label(
            domain::words::table(model.language),
            match reason {
                DuplicateReason::SamePhone => Label::SamePhone,
                DuplicateReason::SimilarNameNearby => Label::SimilarNameNearby,
            },
        ),
    })
}

/// Whether the person may merge these customers: a manager of every one's store, the rule
/// `apply` enforces, so no button is offered that would only be refused.
fn may_merge(model: &Model, ids: &[CustomerId]) -> bool {
    model.user().is_some_and(|u| {
        ids.iter()
            .all(|id| customer(model, *id).is_some_and(|c| u.manages_store(c.store)))
    })
}

fn field_label(field: FormField) -> Label {
    match field {
        FormField::Name => Label::FieldName,
        FormField::Phones => Label::FieldPhones,
        FormField::District => Label::FieldDistrict,
        FormField::Street => Label::FieldStreet,
        FormField::Detail => Label::FieldDetail,
    }
}

pub fn view(model: &Model) -> LookupView {
    let t: &dyn Table = domain::words::table(model.language);
    let s = &model.lookup;
    let marks = Marks::of(model, domain::words::table(model.language));
    let results: Vec<LookupResult> = s
        .hits
        .iter()
        .filter_map(|h| result(model, &marks, h))
        .collect();
    let possible_duplicates = s
        .pairs
        .iter()
        .filter(|p| may_merge(model, &[p.a, p.b]))
        .filter_map(|p| {
            Some(DuplicatePairView {
                a: duplicate_view(model, p.a, p.reason)?,
                b: duplicate_view(model, p.b, p.reason)?,
            })
        })
        .collect();
    LookupView {
        possible_duplicates,
        nothing_found: !s.query.trim().is_empty() && results.is_empty(),
        query: s.query.clone(),
        results,
        form: s.form.as_ref().map(|f| CustomerFormView {
            editing: f.editing,
            draft: f.draft.clone(),
            fields: FormField::ALL
                .iter()
                .map(|&field| FormFieldView {
                    field,
                    label: Word::label(t, field_label(field)),
                    value: f.text(field).to_owned(),
                    phone: field == FormField::Phones,
                })
                .collect(),
            duplicates: f
                .duplicates
                .iter()
                .filter_map(|d| duplicate_view(model, d.customer, d.reason))
                .collect(),
            can_merge: f.editing.is_some_and(|e| {
                f.duplicates
                    .iter()
                    .all(|d| may_merge(model, &[e, d.customer]))
            }),
            saving: f.saving,
            error: f.error.as_ref().map(|n| super::notice(t, n)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_mark_ranges_and_skip_bad_ones() {
        let p = parts("张晓明 Tony", &[0..3, 10..14]);
        let got: Vec<(&str, bool)> = p.iter().map(|p| (p.text.as_str(), p.highlight)).collect();
        assert_eq!(got, [("张", true), ("晓明 ", false), ("Tony", true)]);
        // Inside a character, overlapping, past the end: left unmarked.
        let p = parts("张晓明", &[1..3, 0..3, 2..4, 6..20]);
        let got: Vec<(&str, bool)> = p.iter().map(|p| (p.text.as_str(), p.highlight)).collect();
        assert_eq!(got, [("张", true), ("晓明", false)]);
    }
}
