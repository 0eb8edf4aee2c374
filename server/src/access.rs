//! Who may see which record, and how much of it.
//!
//! | role | sees | personal data |
//! |---|---|---|
//! | admin | the whole organization | unmasked |
//! | dispatcher | everything of their stores | unmasked |
//! | technician | their assigned jobs (as the technician or one of its crew), those jobs' customers and assets, their interactions and follow-ups | unmasked while the job is open, masked after |
//! | sales | their own leads, their stores' customers and assets, jobs of customers they own, their follow-ups, the store's other reps | unmasked for customers they own and their leads, masked otherwise; other reps without phone or sign-in name |
//!
//! Everyone sees the organization, their stores and their own user record; a sales rep also
//! sees the store's other reps masked (name and roles, no phone or sign-in name), to hand
//! follow-ups to. Masking hides the
//! middle of phone numbers (`138****5678`), the address detail (house number, flat), the
//! exact location and the birthday. Every unmasked read of personal data is audited by the
//! caller of [`Scope::view`].

use std::collections::{HashMap, HashSet};

use domain::conflicts::{Choice, EditedValue, FieldValue};
use domain::customers::{Customer, Phone};
use domain::ids::{CustomerId, JobId, StoreId, UserId};
use domain::jobs::Job;
use domain::leads::Lead;
use domain::ops::records::Link;
use domain::ops::{Record, RecordKey, RecordKind};
use domain::org::{Role, User};
use domain::places::{Address, LatLng};

use uuid::Uuid;

use crate::store::{Error, Hint, Store};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    Hidden,
    Masked,
    Full,
}

/// What one user may see, with the lookups done once per request.
pub struct Scope {
    pub user: User,
    /// For technicians: customers of their jobs, and whether an open job needs them unmasked.
    tech_customers: HashMap<CustomerId, bool>,
    /// For technicians: every job assigned to them now.
    tech_jobs: HashSet<Uuid>,
}

/// A record as the viewer may see it.
pub struct Viewed {
    pub record: Record,
    /// Personal data went out unmasked: audit it.
    pub unmasked_personal: bool,
}

impl Scope {
    pub fn load(store: &dyn Store, user: User) -> Result<Self, Error> {
        let mut tech_customers = HashMap::new();
        let mut tech_jobs = HashSet::new();
        if user.has(Role::Technician) {
            let keys: Vec<RecordKey> = store
                .jobs_of(user.id)?
                .into_iter()
                .map(RecordKey::Job)
                .collect();
            for record in store.get_many(&keys)? {
                if let Some(Record::Job(j)) = record
                    && j.works_on(user.id)
                {
                    tech_jobs.insert(j.id.0);
                    let e = tech_customers.entry(j.customer).or_insert(false);
                    *e |= j.is_open();
                }
            }
        }
        Ok(Self {
            user,
            tech_customers,
            tech_jobs,
        })
    }

    /// A cheap, conservative pre-check on a change-log entry: `false` only when the record is
    /// certainly hidden and the caller can never have seen it (so no `Gone` is owed either).
    /// Every rule of [`Scope::visibility`] and [`Scope::may_have_seen`] has its case here.
    #[must_use]
    pub fn might_see(&self, kind: RecordKind, hint: &Hint) -> bool {
        if self.admin() || matches!(kind, RecordKind::Organization | RecordKind::Store) {
            return true;
        }
        if hint.people.contains(&self.user.id) {
            return true;
        }
        if hint.stores.iter().any(|s| self.user.staffs_store(*s)) {
            return true;
        }
        let office = self.user.has(Role::Dispatcher) || self.user.has(Role::Sales);
        // Assets and interactions carry no store; the office decides after reading them.
        if hint.stores.is_empty() && office {
            return true;
        }
        self.user.has(Role::Technician)
            && hint.refs.iter().any(|r| {
                self.tech_jobs.contains(r) || self.tech_customers.contains_key(&CustomerId(*r))
            })
    }

    /// For a technician (and nothing else), the feeds that hold everything they may see: their
    /// own, their jobs', their jobs' customers', and the organization's. `None` for office
    /// roles, whose scope is whole stores: they read the organization's log.
    #[must_use]
    pub fn feed_parties(&self) -> Option<Vec<Uuid>> {
        let office = [Role::Admin, Role::Dispatcher, Role::Sales];
        if !self.user.has(Role::Technician) || office.iter().any(|r| self.user.has(*r)) {
            return None;
        }
        let mut out = vec![self.user.id.0, self.user.org.0];
        out.extend(self.tech_jobs.iter().copied());
        out.extend(self.tech_customers.keys().map(|c| c.0));
        Some(out)
    }

    fn admin(&self) -> bool {
        self.user.has(Role::Admin)
    }

    fn dispatches(&self, store: StoreId) -> bool {
        self.user.has(Role::Dispatcher) && self.user.in_store(store)
    }

    fn sells_in(&self, store: StoreId) -> bool {
        self.user.has(Role::Sales) && self.user.in_store(store)
    }

    fn customer_vis(&self, c: &Customer) -> Visibility {
        self.customer_visibility(c.id, c.store, c.owner)
    }

    /// How much of a customer the viewer may see, from the only fields that decide it (so
    /// that a search can filter its candidates without reading each record).
    #[must_use]
    pub fn customer_visibility(
        &self,
        id: CustomerId,
        store: StoreId,
        owner: Option<UserId>,
    ) -> Visibility {
        if self.admin() || self.dispatches(store) {
            return Visibility::Full;
        }
        let mut v = Visibility::Hidden;
        if let Some(open) = self.tech_customers.get(&id) {
            v = if *open {
                Visibility::Full
            } else {
                Visibility::Masked
            };
        }
        if self.sells_in(store) {
            let s = if owner == Some(self.user.id) {
                Visibility::Full
            } else {
                Visibility::Masked
            };
            v = max(v, s);
        }
        v
    }

    fn customer_by_id(&self, store: &dyn Store, id: CustomerId) -> Result<Visibility, Error> {
        Ok(match store.get(RecordKey::Customer(id))? {
            Some(Record::Customer(c)) if c.org == self.user.org => self.customer_vis(&c),
            _ => Visibility::Hidden,
        })
    }

    fn job_vis(&self, store: &dyn Store, j: &Job) -> Result<Visibility, Error> {
        if self.admin() || self.dispatches(j.store) {
            return Ok(Visibility::Full);
        }
        let mut v = Visibility::Hidden;
        if self.user.has(Role::Technician) && j.works_on(self.user.id) {
            v = if j.is_open() {
                Visibility::Full
            } else {
                Visibility::Masked
            };
        }
        if v != Visibility::Full
            && self.sells_in(j.store)
            && let Some(Record::Customer(c)) = store.get(RecordKey::Customer(j.customer))?
            && c.owner == Some(self.user.id)
        {
            v = Visibility::Full;
        }
        Ok(v)
    }

    fn lead_vis(&self, l: &Lead) -> Visibility {
        if self.admin() || self.dispatches(l.store) || l.owner == self.user.id {
            Visibility::Full
        } else {
            Visibility::Hidden
        }
    }

    fn job_by_id(&self, store: &dyn Store, id: JobId) -> Result<Visibility, Error> {
        Ok(match store.get(RecordKey::Job(id))? {
            Some(Record::Job(j)) if j.org == self.user.org => self.job_vis(store, &j)?,
            _ => Visibility::Hidden,
        })
    }

    /// How much of `record` the viewer may see.
    pub fn visibility(&self, store: &dyn Store, record: &Record) -> Result<Visibility, Error> {
        if record.org() != self.user.org {
            return Ok(Visibility::Hidden);
        }
        let full = |b: bool| {
            if b {
                Visibility::Full
            } else {
                Visibility::Hidden
            }
        };
        Ok(match record {
            Record::Org(_) => Visibility::Full,
            Record::Store(s) => full(self.admin() || self.user.in_store(s.id)),
            Record::User(u) => {
                let same_store = u.stores.iter().any(|s| self.user.in_store(*s));
                if self.admin()
                    || u.id == self.user.id
                    || (self.user.has(Role::Dispatcher) && same_store)
                {
                    Visibility::Full
                } else if self.user.has(Role::Sales) && u.has(Role::Sales) && same_store {
                    // A rep hands follow-ups to the store's other reps: their names, not
                    // their phones or sign-in names.
                    Visibility::Masked
                } else {
                    Visibility::Hidden
                }
            }
            Record::Technician(t) => {
                full(self.admin() || t.user == self.user.id || self.dispatches(t.store))
            }
            Record::Customer(c) => self.customer_vis(c),
            // Products, dates and amounts, nothing personal: whoever sees the customer.
            Record::Asset(a) => match self.customer_by_id(store, a.customer)? {
                Visibility::Hidden => Visibility::Hidden,
                _ => Visibility::Full,
            },
            Record::Purchase(p) => match self.customer_by_id(store, p.customer)? {
                Visibility::Hidden => Visibility::Hidden,
                _ => Visibility::Full,
            },
            Record::Job(j) => self.job_vis(store, j)?,
            Record::Lead(l) => self.lead_vis(l),
            Record::Interaction(i) => {
                if self.admin() || i.author == self.user.id {
                    return Ok(Visibility::Full);
                }
                if let Some(j) = i.job
                    && self.job_by_id(store, j)? != Visibility::Hidden
                {
                    return Ok(Visibility::Full);
                }
                if let Some(l) = i.lead
                    && let Some(Record::Lead(l)) = store.get(RecordKey::Lead(l))?
                    && self.lead_vis(&l) != Visibility::Hidden
                {
                    return Ok(Visibility::Full);
                }
                if let Some(c) = i.customer
                    && let Some(Record::Customer(c)) = store.get(RecordKey::Customer(c))?
                    && self.user.staffs_store(c.store)
                {
                    return Ok(Visibility::Full);
                }
                Visibility::Hidden
            }
            Record::FollowUp(f) => {
                full(self.admin() || self.dispatches(f.store) || f.owner == self.user.id)
            }
            // The people concerned: the store's dispatchers and the admins, and both authors,
            // who see the two values as they see the customer now (masked for a rep who no
            // longer looks after it, nothing for one who no longer sees it at all).
            Record::Conflict(c) => {
                if self.admin() || self.dispatches(c.store) {
                    Visibility::Full
                } else if c.authors().contains(&self.user.id) {
                    match c.record {
                        RecordKey::Customer(id) => self.customer_by_id(store, id)?,
                        _ => Visibility::Hidden,
                    }
                } else {
                    Visibility::Hidden
                }
            }
        })
    }

    /// The record as the viewer may see it, or `None` when it is hidden from them.
    pub fn view(&self, store: &dyn Store, record: Record) -> Result<Option<Viewed>, Error> {
        Ok(match self.visibility(store, &record)? {
            Visibility::Hidden => None,
            Visibility::Masked => Some(Viewed {
                record: mask(record),
                unmasked_personal: false,
            }),
            Visibility::Full => Some(Viewed {
                unmasked_personal: is_personal(&record),
                record,
            }),
        })
    }

    /// Whether a record the viewer can no longer see may still be on their device, so that
    /// sync tells the device to drop it (a job or follow-up reassigned to someone else).
    #[must_use]
    pub fn may_have_seen(&self, record: &Record) -> bool {
        match record {
            Record::Job(j) => j
                .history
                .iter()
                .any(|h| h.technician == Some(self.user.id) || h.crew.contains(&self.user.id)),
            Record::FollowUp(f) => f.previous_owners.contains(&self.user.id),
            _ => false,
        }
    }

    /// Records a device holds because of a job it no longer sees: the customer, and every
    /// asset and purchase of theirs (a technician sees all of them, for the history and
    /// warranty). Each is dropped if hidden now, or sent again as the viewer may now see it
    /// (another job may keep the customer in view, but masked).
    pub fn dependents(&self, store: &dyn Store, record: &Record) -> Result<Vec<RecordKey>, Error> {
        let mut out = Vec::new();
        if let Record::Job(j) = record {
            out.push(RecordKey::Customer(j.customer));
            out.extend(customer_history(store, j.customer)?);
        }
        Ok(out)
    }
}

fn max(a: Visibility, b: Visibility) -> Visibility {
    use Visibility::*;
    match (a, b) {
        (Full, _) | (_, Full) => Full,
        (Masked, _) | (_, Masked) => Masked,
        _ => Hidden,
    }
}

fn is_personal(r: &Record) -> bool {
    matches!(
        r,
        Record::Customer(_) | Record::Lead(_) | Record::Job(_) | Record::Conflict(_)
    )
}

/// Hides what a role that only needs to recognise a customer must not read.
#[must_use]
pub fn mask(record: Record) -> Record {
    match record {
        Record::Customer(mut c) => {
            c.phones = c.phones.iter().map(mask_phone).collect();
            c.address = mask_address(&c.address);
            c.birthday = None;
            // Who changed which field when is for those who may change them.
            c.edits.clear();
            Record::Customer(c)
        }
        Record::Lead(mut l) => {
            l.phone = l.phone.as_ref().map(mask_phone);
            Record::Lead(l)
        }
        Record::User(mut u) => {
            u.phone = u.phone.as_deref().map(|p| Phone::parse(p).masked());
            u.login = String::new();
            Record::User(u)
        }
        Record::Job(mut j) => {
            j.service_address = mask_address(&j.service_address);
            // Where each step was recorded is the customer's door for "arrive" and "complete".
            for h in &mut j.history {
                h.location = h.location.map(coarse);
            }
            Record::Job(j)
        }
        Record::Conflict(mut c) => {
            c.kept.value = mask_value(c.kept.value);
            c.set_aside.value = mask_value(c.set_aside.value);
            if let Some(r) = &mut c.resolution
                && let Choice::Edit(typed) = &mut r.choice
            {
                *typed = match typed.clone() {
                    EditedValue::Phones(p) => {
                        EditedValue::Phones(p.iter().map(|p| Phone::parse(p).masked()).collect())
                    }
                    EditedValue::Address(a) => EditedValue::Address(mask_address(&a)),
                    name @ EditedValue::Name(_) => name,
                };
            }
            Record::Conflict(c)
        }
        other => other,
    }
}

/// A customer field's value as [`mask`] leaves it on the customer.
fn mask_value(v: FieldValue) -> FieldValue {
    match v {
        FieldValue::Phones(p) => FieldValue::Phones(p.iter().map(mask_phone).collect()),
        FieldValue::Address(a) => FieldValue::Address(mask_address(&a)),
        FieldValue::Birthday(_) => FieldValue::Birthday(None),
        other => other,
    }
}

fn mask_phone(p: &Phone) -> Phone {
    Phone {
        raw: p.masked(),
        e164: None,
    }
}

fn mask_address(a: &Address) -> Address {
    Address {
        detail: if a.detail.is_empty() {
            String::new()
        } else {
            "***".into()
        },
        location: a.location.map(coarse),
        ..a.clone()
    }
}

/// About a kilometre: enough for a map of the area, not for the door.
fn coarse(p: LatLng) -> LatLng {
    LatLng {
        lat: (p.lat * 100.0).round() / 100.0,
        lng: (p.lng * 100.0).round() / 100.0,
    }
}

/// Every asset and purchase of a customer (their history, warranties, what they bought): what
/// a technician's device holds (or must drop) with them.
pub fn customer_history(store: &dyn Store, customer: CustomerId) -> Result<Vec<RecordKey>, Error> {
    Ok(store
        .linked(Link::Customer(customer))?
        .into_iter()
        .filter(|k| matches!(k, RecordKey::Asset(_) | RecordKey::Purchase(_)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_hides_the_middle_of_phones_and_the_house_number() {
        let a = Address {
            province: "上海市".into(),
            city: "上海市".into(),
            district: "静安区".into(),
            street: "南京西路".into(),
            detail: "1266号3室".into(),
            location: Some(LatLng {
                lat: 31.228_456,
                lng: 121.451_234,
            }),
            approximate: false,
        };
        let m = mask_address(&a);
        assert_eq!(m.detail, "***");
        assert_eq!(m.street, "南京西路");
        assert_eq!(
            m.location,
            Some(LatLng {
                lat: 31.23,
                lng: 121.45
            })
        );
        assert_eq!(mask_phone(&Phone::parse("13812345678")).raw, "138****5678");
    }
}
