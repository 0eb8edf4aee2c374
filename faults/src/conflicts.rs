//! The conflict check of a run: every concurrent edit of the same customer field made
//! exactly one conflict, and nothing else made one.
//!
//! What "concurrent" means is worked out here from the ops the server applied, in the order
//! its audit says it applied them, with a model of its own that shares nothing with
//! `domain::ops::conflicts` but the definition (`docs/ARCHITECTURE.md`, "Conflicts: shown,
//! not swallowed"): per customer field, the value the server holds and who put it there.
//! An edit that changes a field (its value differs from what its author saw) crossed another
//! person's edit when the field no longer holds what the author saw and someone else put the
//! value there; the later of the two by `Op::at` (then by op id) stays on the record. If the
//! rule in `apply` drifted from that (a conflict missed, made twice, made for different
//! fields, the wrong value kept), the model and the server's records disagree.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use domain::conflicts::{Conflict, FieldValue};
use domain::customers::{Customer, Phone};
use domain::ids::{ConflictId, CustomerId, OpId, UserId};
use domain::ops::customers::CustomerField;
use domain::ops::{CustomerPatch, Op, OpKind, Record, RecordKey, RecordKind};
use domain::places::Address;
use server::store::Store;

use crate::{Broken, World, broken};

/// One crossing of two edits of a field: the edit that stays and the one set aside, with
/// their authors.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Crossing {
    pub customer: CustomerId,
    pub field: CustomerField,
    pub kept: (OpId, UserId),
    pub set_aside: (OpId, UserId),
}

impl Crossing {
    fn of(c: &Conflict) -> Option<Self> {
        let RecordKey::Customer(customer) = c.record else {
            return None;
        };
        Some(Self {
            customer,
            field: c.field,
            kept: (c.kept.op, c.kept.by),
            set_aside: (c.set_aside.op, c.set_aside.by),
        })
    }
}

/// Who put a field's value on the server's record, and when they made the edit.
#[derive(Clone, Copy, Debug)]
struct Writer {
    by: UserId,
    at: DateTime<Utc>,
    op: OpId,
}

/// One customer field on the server, as the model follows it.
#[derive(Clone, Debug)]
struct Held {
    value: String,
    /// `None` while nobody edited it since the run started.
    writer: Option<Writer>,
}

/// What the model expects of the server after the run.
#[derive(Debug, Default)]
pub struct Expected {
    pub crossings: Vec<Crossing>,
    /// Every field an applied edit changed, with the value it must end with.
    values: BTreeMap<(CustomerId, CustomerField), String>,
    /// Applied customer edits, for the report.
    pub edits: usize,
}

/// The fields the customer form sends: the only ones the model follows.
const FORM: [CustomerField; 3] = [
    CustomerField::Name,
    CustomerField::Phones,
    CustomerField::Address,
];

/// A field's value as a comparable text: phone numbers by their digits (how they were typed
/// does not matter to anyone), the rest as written.
fn phones_text(digits: impl Iterator<Item = String>) -> String {
    let mut seen = Vec::new();
    for d in digits {
        if !seen.contains(&d) {
            seen.push(d);
        }
    }
    seen.join(",")
}

fn address_text(a: &Address) -> String {
    serde_json::to_string(a).unwrap_or_default()
}

fn of_customer(c: &Customer, field: CustomerField) -> Option<String> {
    Some(match field {
        CustomerField::Name => c.name.clone(),
        CustomerField::Phones => phones_text(c.phones.iter().map(Phone::digits)),
        CustomerField::Address => address_text(&c.address),
        _ => return None,
    })
}

fn of_seen(v: &FieldValue) -> Option<(CustomerField, String)> {
    Some(match v {
        FieldValue::Name(n) => (CustomerField::Name, n.clone()),
        FieldValue::Phones(p) => (
            CustomerField::Phones,
            phones_text(p.iter().map(Phone::digits)),
        ),
        FieldValue::Address(a) => (CustomerField::Address, address_text(a)),
        _ => return None,
    })
}

fn of_patch(p: &CustomerPatch, field: CustomerField) -> Option<String> {
    match field {
        CustomerField::Name => p.name.as_ref().map(|n| n.trim().to_owned()),
        CustomerField::Phones => p
            .phones
            .as_ref()
            .map(|ps| phones_text(ps.iter().map(|raw| Phone::parse(raw).digits()))),
        CustomerField::Address => p.address.as_ref().map(address_text),
        _ => None,
    }
}

/// Plays the applied ops (in the order the server applied them) through the model.
pub fn expected(
    applied: &[OpId],
    sent: &BTreeMap<OpId, Op>,
    at_start: &BTreeMap<CustomerId, Customer>,
) -> Result<Expected, Broken> {
    let mut held: BTreeMap<(CustomerId, CustomerField), Held> = BTreeMap::new();
    let mut out = Expected::default();
    for id in applied {
        let op = sent
            .get(id)
            .ok_or_else(|| Broken(format!("{id:?} was applied but no device sent it")))?;
        let (customer, patch, seen) = match &op.kind {
            OpKind::UpdateCustomer {
                customer,
                patch,
                seen,
            } => (*customer, patch, seen),
            // Nothing else in these runs touches a customer's form fields.
            OpKind::MergeCustomers { .. } | OpKind::ResolveConflict { .. } => {
                return Err(Broken(format!(
                    "{id:?}: the conflict model does not follow {:?}",
                    op.kind
                )));
            }
            _ => continue,
        };
        out.edits += 1;
        if patch
            .fields()
            .iter()
            .any(|f| !FORM.contains(f) || seen.is_empty())
        {
            return Err(Broken(format!(
                "{id:?}: the conflict model follows form edits only: {:?}",
                op.kind
            )));
        }
        let start = at_start
            .get(&customer)
            .ok_or_else(|| Broken(format!("{id:?} edits a customer made during the run")))?;
        let saw: BTreeMap<CustomerField, String> = seen.iter().filter_map(of_seen).collect();
        for field in FORM {
            let Some(new) = of_patch(patch, field) else {
                continue;
            };
            let Some(saw) = saw.get(&field) else {
                return Err(Broken(format!(
                    "{id:?} does not say what it saw of {field:?}"
                )));
            };
            if *saw == new {
                // The form sends every field; the author changed other ones.
                continue;
            }
            let h = held.entry((customer, field)).or_insert_with(|| Held {
                value: of_customer(start, field).unwrap_or_default(),
                writer: None,
            });
            if h.value == new {
                continue;
            }
            let mine = Writer {
                by: op.actor,
                at: op.at,
                op: op.id,
            };
            let crossed = h.writer.filter(|w| *saw != h.value && w.by != op.actor);
            match crossed {
                None => {
                    h.value = new;
                    h.writer = Some(mine);
                }
                Some(theirs) => {
                    let later = (mine.at, mine.op) > (theirs.at, theirs.op);
                    let (kept, set_aside) = if later {
                        (mine, theirs)
                    } else {
                        (theirs, mine)
                    };
                    out.crossings.push(Crossing {
                        customer,
                        field,
                        kept: (kept.op, kept.by),
                        set_aside: (set_aside.op, set_aside.by),
                    });
                    if later {
                        h.value = new;
                        h.writer = Some(mine);
                    }
                }
            }
        }
    }
    out.values = held.into_iter().map(|(k, h)| (k, h.value)).collect();
    Ok(out)
}

/// Every conflict record the server holds.
fn server_conflicts(store: &dyn Store) -> Result<Vec<Conflict>, Broken> {
    let mut out = Vec::new();
    for org in store.orgs().map_err(broken)? {
        let mut after = None;
        loop {
            let page = store
                .list(org, RecordKind::Conflict, after, 1000)
                .map_err(broken)?;
            out.extend(page.records.into_iter().filter_map(|r| match r {
                Record::Conflict(c) => Some(c),
                _ => None,
            }));
            match page.next {
                Some(n) => after = Some(n),
                None => break,
            }
        }
    }
    Ok(out)
}

/// After [`World::settle`]: the server holds exactly one conflict for each crossing the model
/// finds and no other, the edited fields hold what the model says, and every device shows in
/// its inbox (and stores) exactly the conflicts that concern its user: those they wrote one
/// side of, and all of their store's for a dispatcher.
pub fn check(world: &World, store: &dyn Store, applied: &[OpId]) -> Result<Expected, Broken> {
    let want = expected(applied, &world.sent, &world.customers_at_start)?;
    let held = server_conflicts(store)?;
    let mut found: BTreeMap<Crossing, Vec<ConflictId>> = BTreeMap::new();
    for c in &held {
        let x = Crossing::of(c)
            .ok_or_else(|| Broken(format!("conflict {:?} is not about a customer", c.id)))?;
        found.entry(x).or_default().push(c.id);
    }
    for x in &want.crossings {
        match found.get(x).map(Vec::len) {
            Some(1) => {}
            n => {
                return Err(Broken(format!(
                    "a crossing of {:?} on {:?} made {} conflict records, not 1: {x:?}\n\
                     expected {} crossings, the server holds {}: {:?}",
                    x.field,
                    x.customer,
                    n.unwrap_or(0),
                    want.crossings.len(),
                    held.len(),
                    found.keys().collect::<Vec<_>>()
                )));
            }
        }
    }
    let wanted: BTreeSet<&Crossing> = want.crossings.iter().collect();
    if wanted.len() != want.crossings.len() {
        return Err(Broken(format!(
            "the model found a crossing twice: {:?}",
            want.crossings
        )));
    }
    if let Some(extra) = found.keys().find(|x| !wanted.contains(x)) {
        return Err(Broken(format!(
            "the server holds a conflict no concurrent edit explains: {extra:?}\n\
             expected {:?}",
            want.crossings
        )));
    }
    for ((customer, field), value) in &want.values {
        let Some(Record::Customer(c)) =
            store.get(RecordKey::Customer(*customer)).map_err(broken)?
        else {
            return Err(Broken(format!("customer {customer:?} is gone")));
        };
        let on_record = of_customer(&c, *field).unwrap_or_default();
        if on_record != *value {
            return Err(Broken(format!(
                "{customer:?} {field:?} is {on_record}, the later edit made it {value}"
            )));
        }
    }
    for device in &world.devices {
        let user = &device.user;
        let concerned: BTreeSet<ConflictId> = held
            .iter()
            .filter(|c| c.authors().contains(&user.id) || user.manages_store(c.store))
            .map(|c| c.id)
            .collect();
        if let Some(missing) = concerned
            .iter()
            .find(|id| !device.stores(&RecordKey::Conflict(**id)))
        {
            return Err(Broken(format!(
                "{} does not store conflict {missing:?}, which concerns its user",
                device.id
            )));
        }
        let inbox: BTreeSet<ConflictId> = device.inbox().into_iter().collect();
        if inbox != concerned {
            return Err(Broken(format!(
                "{}'s inbox shows {inbox:?}; the conflicts that concern its user are {concerned:?}",
                device.id
            )));
        }
    }
    Ok(want)
}
