//! Customer lookup in the core, for every role: the search box (results as the person types,
//! ranked by the lookup index and boosted by where they are and whom they talked to lately)
//! and the customer form, which warns of likely duplicates before anything is saved.
//!
//! The [`Index`] is built from the replica when the app starts (or a user signs in) and kept
//! current record by record: [`Model::index_changed`] is called with the keys every locally
//! applied op and every settled sync touched, so no keystroke ever waits for a rebuild. The
//! customers it touched are also checked against the index for likely duplicates, which is
//! how two devices that created the same customer offline learn of it once they have synced.

use crux_core::{Command, render::render};
use domain::words::Label;
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Model, commit};
use crate::effects::Effect;
use domain::conflicts::FieldValue;
use domain::customers::{CustomerKind, Phone, Tier};
use domain::ids::CustomerId;
use domain::lookup::{Duplicate, DuplicatePair, Hit, Index, Probe, SearchContext, duplicates};
use domain::ops::customers::CustomerField;
use domain::ops::{CustomerPatch, NewCustomer, OpKind, Record, RecordKey};
use domain::org::Role;
use domain::places::Address;

use super::Event;

/// Results shown for one query: enough for a phone screen, and the index's cost grows with it.
pub const MAX_RESULTS: usize = 20;
/// Likely duplicates shown under the customer form.
pub const MAX_DUPLICATES: usize = 5;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum LookupEvent {
    /// The search box as it is now, sent on every keystroke. Empty clears the results.
    Query(String),
    /// Open the customer form for a new customer.
    NewCustomer,
    /// Open the customer form on an existing customer.
    EditCustomer(CustomerId),
    /// The form as it is now; likely duplicates are looked up at once.
    Draft(CustomerDraft),
    /// One field of the form as typed now (what shells send on each keystroke): the core
    /// reads the phone numbers out of the text, so no shell splits them.
    Type {
        field: FormField,
        text: String,
    },
    /// Save the form: a new customer, or the changed fields of the edited one.
    SaveCustomer,
    CloseCustomer,
    /// Combine a duplicate the form warned about into the customer to keep.
    Merge {
        keep: CustomerId,
        remove: CustomerId,
    },
    /// "These two are different people": stop showing the pair.
    NotDuplicates {
        a: CustomerId,
        b: CustomerId,
    },
}

/// What the customer form holds: the fields duplicates are judged on.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct CustomerDraft {
    pub name: String,
    /// As typed.
    pub phones: Vec<String>,
    pub address: Address,
}

/// A field of the customer form.
#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum FormField {
    Name,
    /// Every number in one field, separated by commas (or 、，; and new lines).
    Phones,
    District,
    Street,
    /// Building, floor, room.
    Detail,
}

impl FormField {
    pub const ALL: [FormField; 5] = [
        FormField::Name,
        FormField::Phones,
        FormField::District,
        FormField::Street,
        FormField::Detail,
    ];
}

/// The phone numbers in a field as typed: split at commas (ASCII or Chinese), the Chinese
/// enumeration comma, semicolons and new lines; blanks dropped.
#[must_use]
pub fn phones_in(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The search state of the model.
#[derive(Default)]
pub struct LookupState {
    /// `None` until built for the current replica (built on first use if start-up did not).
    pub(super) index: Option<Index>,
    pub query: String,
    pub hits: Vec<Hit>,
    /// The customer form, when open.
    pub form: Option<CustomerForm>,
    /// Likely duplicates among customers that changed since start-up (from a sync or on this
    /// device), `a < b`.
    pub pairs: Vec<DuplicatePair>,
    /// Pairs the person said are different customers.
    dismissed: Vec<(CustomerId, CustomerId)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomerForm {
    /// `None` for a new customer.
    pub editing: Option<CustomerId>,
    pub draft: CustomerDraft,
    pub duplicates: Vec<Duplicate>,
    /// Saved and waiting for the local apply; the form closes only once the op is applied.
    pub saving: bool,
    /// Why the last save was refused; the draft stays as typed.
    pub error: Option<super::Notice>,
    /// The phone field as typed (the draft holds the numbers read from it).
    pub phones_text: String,
    /// What the person saw of the edited customer when the form opened: the op carries it,
    /// so that the server can tell an edit that crossed someone else's (`domain::conflicts`).
    pub seen: Vec<FieldValue>,
}

impl CustomerForm {
    fn new(editing: Option<CustomerId>, draft: CustomerDraft) -> Self {
        Self {
            editing,
            phones_text: draft.phones.join(", "),
            draft,
            ..Self::default()
        }
    }

    /// A field's text as the person sees it.
    #[must_use]
    pub fn text(&self, field: FormField) -> &str {
        match field {
            FormField::Name => &self.draft.name,
            FormField::Phones => &self.phones_text,
            FormField::District => &self.draft.address.district,
            FormField::Street => &self.draft.address.street,
            FormField::Detail => &self.draft.address.detail,
        }
    }

    fn type_into(&mut self, field: FormField, text: String) {
        match field {
            FormField::Name => self.draft.name = text,
            FormField::Phones => {
                self.draft.phones = phones_in(&text);
                self.phones_text = text;
            }
            FormField::District => self.draft.address.district = text,
            FormField::Street => self.draft.address.street = text,
            FormField::Detail => self.draft.address.detail = text,
        }
    }
}

impl std::fmt::Debug for LookupState {
    // The index is large; its size says enough.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LookupState")
            .field("indexed", &self.index.as_ref().map(Index::len))
            .field("query", &self.query)
            .field("hits", &self.hits.len())
            .field("form", &self.form)
            .field("pairs", &self.pairs)
            .finish_non_exhaustive()
    }
}

pub fn update(model: &mut Model, event: LookupEvent) -> Command<Effect, Event> {
    match event {
        LookupEvent::Query(q) => {
            model.lookup.query = q;
            model.run_lookup();
            render()
        }
        LookupEvent::NewCustomer => {
            model.lookup.form = Some(CustomerForm::default());
            model.check_duplicates();
            render()
        }
        LookupEvent::EditCustomer(id) => {
            let Some(Record::Customer(c)) = model.replica.record(&RecordKey::Customer(id)) else {
                model.notice = Some(Label::CustomerNotOnDevice.into());
                return render();
            };
            let may = model.user().is_some_and(|u| {
                domain::ops::customers::allowed_to_change(
                    u,
                    c,
                    domain::ops::customers::CustomerField::Name,
                )
            });
            if !may {
                model.notice = Some(Label::OnlyOwnerEdits.into());
                return render();
            }
            let seen = [
                CustomerField::Name,
                CustomerField::Phones,
                CustomerField::Address,
            ]
            .into_iter()
            .map(|f| FieldValue::of(c, f))
            .collect();
            model.lookup.form = Some(CustomerForm {
                seen,
                ..CustomerForm::new(
                    Some(id),
                    CustomerDraft {
                        name: c.name.clone(),
                        phones: c.phones.iter().map(|p| p.raw.clone()).collect(),
                        address: c.address.clone(),
                    },
                )
            });
            model.check_duplicates();
            render()
        }
        LookupEvent::Draft(draft) => {
            if let Some(form) = &mut model.lookup.form {
                *form = CustomerForm {
                    duplicates: std::mem::take(&mut form.duplicates),
                    seen: std::mem::take(&mut form.seen),
                    saving: form.saving,
                    ..CustomerForm::new(form.editing, draft)
                };
                model.check_duplicates();
            }
            render()
        }
        LookupEvent::Type { field, text } => {
            if let Some(form) = &mut model.lookup.form {
                form.type_into(field, text);
                form.error = None;
                model.check_duplicates();
            }
            render()
        }
        LookupEvent::SaveCustomer => save(model),
        LookupEvent::CloseCustomer => {
            model.lookup.form = None;
            render()
        }
        LookupEvent::Merge { keep, remove } => {
            commit::request(OpKind::MergeCustomers { keep, remove })
        }
        LookupEvent::NotDuplicates { a, b } => {
            let key = (a.min(b), a.max(b));
            model.lookup.pairs.retain(|p| (p.a, p.b) != key);
            model.lookup.dismissed.push(key);
            render()
        }
    }
}

fn save(model: &mut Model) -> Command<Effect, Event> {
    if model
        .lookup
        .form
        .as_ref()
        .is_some_and(|f| f.draft.name.trim().is_empty())
    {
        // Said on the form, which stays open with what was typed.
        if let Some(form) = model.lookup.form.as_mut() {
            form.error = Some(Label::EnterCustomerName.into());
        }
        return render();
    }
    // The form stays open with the draft until the op is applied (see `Model::customer_saved`),
    // so that a refused save loses nothing typed.
    let Some(form) = model.lookup.form.as_mut() else {
        return Command::done();
    };
    form.saving = true;
    form.error = None;
    let editing = form.editing;
    let seen = form.seen.clone();
    let CustomerDraft {
        name,
        phones,
        address,
    } = form.draft.clone();
    let kind = match editing {
        Some(customer) => OpKind::UpdateCustomer {
            customer,
            patch: CustomerPatch {
                name: Some(name),
                phones: Some(phones),
                address: Some(address),
                ..CustomerPatch::default()
            },
            seen,
        },
        None => {
            let Some(user) = model.user() else {
                model.notice = Some(Label::SignInToChange.into());
                return render();
            };
            let Some(&store) = user.stores.first() else {
                model.notice = Some(Label::NoStore.into());
                return render();
            };
            // Typed in words only: the district's centre, flagged approximate, so that the
            // customer's jobs can be suggested at once; the technician confirms the place at
            // the door (or the dispatcher on the map).
            let mut address = address;
            if address.location.is_none()
                && let Some(centre) = domain::places::districts::centre(&address)
            {
                address.location = Some(centre);
                address.approximate = true;
            }
            OpKind::CreateCustomer(NewCustomer {
                id: CustomerId::new(),
                store,
                name,
                phones,
                address,
                kind: CustomerKind::Individual,
                tags: Vec::new(),
                tier: Tier::Standard,
                marketing_consent: false,
                birthday: None,
                // A rep who creates a customer owns the relationship.
                owner: user.has(Role::Sales).then_some(user.id),
            })
        }
    };
    Command::all([render(), commit::request(kind)])
}

impl Model {
    /// What became of a save from the customer form: applied closes the form; refused keeps
    /// the draft open with the reason. `false`: no save was waiting.
    pub(super) fn customer_saved(&mut self, outcome: Result<(), super::Notice>) -> bool {
        let Some(form) = self.lookup.form.as_mut().filter(|f| f.saving) else {
            return false;
        };
        match outcome {
            Ok(()) => self.lookup.form = None,
            Err(reason) => {
                form.saving = false;
                form.error = Some(reason);
            }
        }
        true
    }

    /// The lookup index over the replica, built now if it is not yet.
    pub fn index(&mut self) -> &Index {
        self.lookup
            .index
            .get_or_insert_with(|| Index::build(self.replica.iter()))
    }

    /// Rebuilds the index from the whole replica: at start-up, and when the replica is
    /// replaced (another user signed in on this device).
    pub fn rebuild_index(&mut self) {
        self.lookup.index = Some(Index::build(self.replica.iter()));
        self.run_lookup();
        self.check_duplicates();
    }

    /// Brings the index up to date with records an op or a sync changed, and refreshes what
    /// the search box and the form show (through [`Model::replica_changed`]).
    pub(super) fn index_changed(&mut self, changed: &[RecordKey]) {
        if changed.is_empty() {
            return;
        }
        let every = || {
            changed
                .iter()
                .filter_map(|k| match k {
                    RecordKey::Customer(id) => Some(*id),
                    _ => None,
                })
                .collect()
        };
        let moved: Vec<CustomerId> = match &mut self.lookup.index {
            // The first sync of a new device brings everything: one bulk build is several
            // times faster than a record-by-record update, and answers the same.
            Some(index) if changed.len() > 1_000 && changed.len() > index.len() => {
                self.lookup.index = Some(Index::build(self.replica.iter()));
                every()
            }
            Some(index) => index.refresh(&self.replica, changed),
            // Not built yet (a model made without a start-up): build it from what is here now.
            None => {
                self.lookup.index = Some(Index::build(self.replica.iter()));
                every()
            }
        };
        self.run_lookup();
        self.check_duplicates();
        self.find_pairs(&moved);
    }

    /// Re-checks customers whose name, phones or address changed for likely duplicates among
    /// everyone the index knows (a tag or a note cannot make or break a pair).
    fn find_pairs(&mut self, ids: &[CustomerId]) {
        if ids.is_empty() {
            return;
        }
        self.lookup
            .pairs
            .retain(|p| !ids.contains(&p.a) && !ids.contains(&p.b));
        let mut found = Vec::new();
        for &id in ids {
            let Some(Record::Customer(c)) = self.replica.record(&RecordKey::Customer(id)) else {
                continue;
            };
            if c.merged_into.is_some() {
                continue;
            }
            let probe = Probe {
                id: Some(c.id),
                name: &c.name,
                phones: &c.phones,
                address: &c.address,
            };
            let Some(index) = &self.lookup.index else {
                continue;
            };
            for d in duplicates(index, &probe, MAX_DUPLICATES) {
                let key = (c.id.min(d.customer), c.id.max(d.customer));
                if !self.lookup.dismissed.contains(&key) {
                    found.push(DuplicatePair {
                        a: key.0,
                        b: key.1,
                        reason: d.reason,
                    });
                }
            }
        }
        self.lookup.pairs.extend(found);
        self.lookup.pairs.sort();
        self.lookup.pairs.dedup_by_key(|p| (p.a, p.b));
    }

    fn search_context(&self) -> SearchContext {
        SearchContext {
            now: self.now,
            location: self.location,
        }
    }

    fn run_lookup(&mut self) {
        if self.lookup.query.trim().is_empty() {
            self.lookup.hits.clear();
            return;
        }
        let ctx = self.search_context();
        let query = self.lookup.query.clone();
        self.lookup.hits = self.index().search(&query, &ctx, MAX_RESULTS);
    }

    fn check_duplicates(&mut self) {
        let Some(form) = self.lookup.form.take() else {
            return;
        };
        let phones: Vec<Phone> = form
            .draft
            .phones
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| Phone::parse(p))
            .collect();
        let probe = Probe {
            id: form.editing,
            name: &form.draft.name,
            phones: &phones,
            address: &form.draft.address,
        };
        let found = if form.draft.name.trim().is_empty() && phones.is_empty() {
            Vec::new()
        } else {
            duplicates(self.index(), &probe, MAX_DUPLICATES)
        };
        self.lookup.form = Some(CustomerForm {
            duplicates: found,
            ..form
        });
    }
}

#[cfg(test)]
mod tests;
