//! From rows to ops: rows grouped into the file's customers, each matched against the
//! customers already in Rounds (imported before, or likely the same person), and the ops that
//! bring them over tried with `apply` on a scratch copy (the dry run), so that what `apply`
//! would refuse is reported by row and column before anything is written.
//!
//! Ids are derived from the organization, the import and the row's key (the customer id of
//! the file, else the phone, else the name and address), never drawn at random: running the
//! same file again finds every customer it made and makes nothing twice, and an import that
//! stopped halfway picks up where it stopped.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use super::columns::{self, MappingError, Target};
use super::rows::{self, AssetDraft, Directory, Draft};
use super::{OnDuplicate, Problem, Report, RowProblem, Setup, Sheet, Suggestion};
use crate::customers::{Asset, Customer, CustomerKind, Phone, Tier};
use crate::ids::{AssetId, CustomerId, OpId, OrgId, PurchaseId, UserId};
use crate::lookup::{Duplicate, Probe};
use crate::ops::records::{Decided, Query, StorageError};
use crate::ops::{
    AddressPart, CustomerPatch, Field, MemoryRecords, NewAsset, NewCustomer, NewPurchase, Op,
    OpError, OpKind, Record, RecordKey, Records,
};

/// What the import needs to know of the customers already in Rounds.
pub trait Existing {
    /// The customer with this id, following merges to the one kept.
    fn customer(&self, id: CustomerId) -> Option<Customer>;
    fn asset_exists(&self, id: AssetId) -> bool;
    fn assets_of(&self, customer: CustomerId) -> Vec<Asset>;
    /// Customers already in Rounds who look like this one, most likely first.
    fn similar(&self, probe: &Probe<'_>) -> Vec<Duplicate>;
}

/// Who imports, when, and the records every op needs (the organization, its stores and
/// people).
pub struct Context<'a> {
    pub org: OrgId,
    pub actor: UserId,
    pub at: DateTime<Utc>,
    pub today: NaiveDate,
    /// When the file was first given (Unix milliseconds): the ids' time part, so that they
    /// sort with the records made then and are the same on every run.
    pub born: u64,
    pub base: &'a MemoryRecords,
}

/// One customer of the file and the ops that bring it over (none when it is all there).
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub rows: Vec<u32>,
    pub ops: Vec<Op>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub report: Report,
    /// The customers to bring over, in the file's order; those with problems are left out.
    pub groups: Vec<Group>,
}

/// The dry run: reads every row, and plans and tries every op, writing nothing.
pub fn check(
    sheet: &Sheet,
    setup: &Setup,
    ctx: &Context<'_>,
    existing: &dyn Existing,
) -> Result<Plan, MappingError> {
    columns::check(&setup.mapping, sheet.headers.len())?;
    let dir = Directory::new(ctx.base.stores(), ctx.base.users());
    let mut report = Report {
        rows: u32::try_from(sheet.rows.len()).unwrap_or(u32::MAX),
        ..Report::default()
    };
    let mut problems: Vec<RowProblem> = sheet
        .ragged
        .iter()
        .map(|&(index, cells)| RowProblem {
            row: Sheet::row_number(index),
            column: None,
            problem: Problem::CellCount {
                cells: u32::try_from(cells).unwrap_or(u32::MAX),
                header: u32::try_from(sheet.headers.len()).unwrap_or(u32::MAX),
            },
        })
        .collect();
    let mut order: Vec<String> = Vec::new();
    let mut by_key: HashMap<String, Vec<Draft>> = HashMap::new();
    for (index, cells) in sheet.rows.iter().enumerate() {
        let (draft, mut found) = rows::read(index, cells, setup, &dir, ctx.today);
        problems.append(&mut found);
        if let Some(d) = draft {
            let ragged = problems
                .iter()
                .any(|p| p.row == d.row && matches!(p.problem, Problem::CellCount { .. }));
            if ragged {
                continue;
            }
            by_key
                .entry(d.key.clone())
                .or_insert_with(|| {
                    order.push(d.key.clone());
                    Vec::new()
                })
                .push(d);
        }
    }
    let mut groups = Vec::new();
    for key in order {
        let drafts = by_key.remove(&key).unwrap_or_default();
        let (group, mut found) = plan_group(&key, &drafts, setup, ctx, existing, &mut report);
        problems.append(&mut found);
        if let Some(g) = group {
            report.rows_ok += u32::try_from(g.rows.len()).unwrap_or(u32::MAX);
            groups.push(g);
        }
    }
    problems.sort_by_key(|p| (p.row, p.column));
    report.problems = problems;
    report.duplicates.sort_by_key(|s| s.row);
    Ok(Plan { report, groups })
}

fn plan_group(
    key: &str,
    drafts: &[Draft],
    setup: &Setup,
    ctx: &Context<'_>,
    existing: &dyn Existing,
    report: &mut Report,
) -> (Option<Group>, Vec<RowProblem>) {
    let Some(first) = drafts.first() else {
        return (None, Vec::new());
    };
    let rows: Vec<u32> = drafts.iter().map(|d| d.row).collect();
    let mut phones: Vec<String> = Vec::new();
    for p in drafts.iter().flat_map(|d| &d.phones) {
        let digits = Phone::parse(p).digits();
        if !phones.iter().any(|q| Phone::parse(q).digits() == digits) {
            phones.push(p.clone());
        }
    }
    let id = CustomerId::from_parts(ctx.born, stable(ctx.org, &["customer", key]));
    let mut ops = Vec::new();
    let mut scratch = Overlay {
        base: ctx.base,
        added: BTreeMap::new(),
    };
    // Counted once the group's ops are known to pass.
    let mut count = Report::default();
    let target = match existing.customer(id) {
        Some(c) => {
            count.already_imported += 1;
            Some(c)
        }
        None => {
            let parsed: Vec<Phone> = phones.iter().map(|p| Phone::parse(p)).collect();
            let probe = Probe {
                id: None,
                name: &first.name,
                phones: &parsed,
                address: &first.address,
            };
            let similar = existing
                .similar(&probe)
                .into_iter()
                .find_map(|d| existing.customer(d.customer).map(|c| (c, d.reason)));
            match similar {
                Some((c, reason)) => {
                    report.duplicates.push(Suggestion {
                        row: first.row,
                        name: first.name.clone(),
                        existing: c.id,
                        existing_name: c.name.clone(),
                        reason,
                    });
                    match setup.on_duplicate {
                        OnDuplicate::Skip => {
                            report.skipped_duplicates += 1;
                            return (None, Vec::new());
                        }
                        OnDuplicate::Merge => {
                            count.merged += 1;
                            Some(c)
                        }
                        OnDuplicate::Create => None,
                    }
                }
                None => None,
            }
        }
    };
    let customer = match &target {
        Some(c) => {
            scratch
                .added
                .insert(RecordKey::Customer(c.id), Record::Customer(c.clone()));
            let mut all: Vec<String> = c.phones.iter().map(|p| p.raw.clone()).collect();
            let mut more = false;
            for p in &phones {
                let digits = Phone::parse(p).digits();
                if !c.phones.iter().any(|q| q.digits() == digits) {
                    all.push(p.clone());
                    more = true;
                }
            }
            if more {
                ops.push((
                    first.row,
                    op(
                        ctx,
                        &["phones", key],
                        OpKind::UpdateCustomer {
                            customer: c.id,
                            patch: CustomerPatch {
                                phones: Some(all),
                                ..CustomerPatch::default()
                            },
                            seen: Vec::new(),
                        },
                    ),
                ));
            }
            c.id
        }
        None => {
            count.new_customers += 1;
            ops.push((
                first.row,
                op(
                    ctx,
                    &["customer", key],
                    OpKind::CreateCustomer(NewCustomer {
                        id,
                        store: first.store,
                        name: first.name.clone(),
                        phones,
                        address: placed(&first.address),
                        kind: first.kind.unwrap_or(CustomerKind::Individual),
                        tags: first.tags.clone(),
                        tier: first.tier.unwrap_or(Tier::Standard),
                        marketing_consent: first.consent.unwrap_or(false),
                        birthday: first.birthday,
                        owner: first.owner,
                    }),
                ),
            ));
            id
        }
    };
    let owned = target
        .as_ref()
        .map(|c| existing.assets_of(c.id))
        .unwrap_or_default();
    let mut planned: Vec<&AssetDraft> = Vec::new();
    for d in drafts {
        let Some(a) = &d.asset else { continue };
        let row = d.row.to_string();
        let asset_id = AssetId::from_parts(ctx.born, stable(ctx.org, &["asset", key, &row]));
        let same = |product: &str, serial: &str, date: Option<NaiveDate>| {
            if !serial.is_empty() && !a.serial_number.is_empty() {
                serial.eq_ignore_ascii_case(&a.serial_number)
            } else {
                product == a.product && date == a.purchase_date
            }
        };
        if existing.asset_exists(asset_id)
            || owned
                .iter()
                .any(|o| same(&o.product, &o.serial_number, Some(o.purchase_date)))
            || planned
                .iter()
                .any(|p| same(&p.product, &p.serial_number, p.purchase_date))
        {
            continue;
        }
        planned.push(a);
        count.new_assets += 1;
        let Some(purchase_date) = a.purchase_date else {
            continue;
        };
        ops.push((
            d.row,
            op(
                ctx,
                &["asset", key, &row],
                OpKind::AddAsset(NewAsset {
                    id: asset_id,
                    customer,
                    product: a.product.clone(),
                    category: a.category.clone(),
                    serial_number: a.serial_number.clone(),
                    purchase_date,
                    price: a.price.unwrap_or(0),
                    warranty_end: a.warranty_end,
                    last_service: a.last_service,
                    maintenance_interval_days: a.interval_days,
                }),
            ),
        ));
        // The sale itself, naming the asset it bought: what the customer's value and the
        // repeat-purchase numbers count.
        if let Some(amount) = a.price {
            ops.push((
                d.row,
                op(
                    ctx,
                    &["purchase", key, &row],
                    OpKind::RecordPurchase(NewPurchase {
                        id: PurchaseId::from_parts(
                            ctx.born,
                            stable(ctx.org, &["purchase", key, &row]),
                        ),
                        customer,
                        store: None,
                        on: purchase_date,
                        items: vec![crate::purchases::Item {
                            product: a.product.clone(),
                            quantity: 1,
                            amount,
                            asset: Some(asset_id),
                        }],
                        amount,
                        source: crate::purchases::Source::Import,
                        receipt: None,
                    }),
                ),
            ));
        }
    }
    let mut problems = Vec::new();
    for (row, op) in &ops {
        if let Err(e) = crate::ops::apply(&mut scratch, op) {
            problems.push(RowProblem {
                row: *row,
                column: column_for(setup, &e),
                problem: Problem::Refused(e),
            });
        }
    }
    if !problems.is_empty() {
        return (None, problems);
    }
    report.already_imported += count.already_imported;
    report.merged += count.merged;
    report.new_customers += count.new_customers;
    report.new_assets += count.new_assets;
    (
        Some(Group {
            rows,
            ops: ops.into_iter().map(|(_, op)| op).collect(),
        }),
        problems,
    )
}

/// The address with, when the file gave no position, its district's centre, flagged
/// approximate: the customer's jobs can be suggested and planned at once, and the technician
/// confirms the place at the door. A geocoding service, when the server has one, replaces it
/// with a better one before the import runs (`server/src/imports.rs`).
fn placed(address: &crate::places::Address) -> crate::places::Address {
    let mut a = address.clone();
    if a.location.is_none()
        && let Some(centre) = crate::places::districts::centre(&a)
    {
        a.location = Some(centre);
        a.approximate = true;
    }
    a
}

/// The column a refusal is about, through the field it names.
fn column_for(setup: &Setup, e: &OpError) -> Option<u32> {
    let OpError::Invalid { field, .. } = e else {
        return None;
    };
    let targets: &[Target] = match field {
        Field::CustomerName => &[Target::Name],
        Field::Phones | Field::Phone(_) => &[Target::Phone],
        Field::Address(part) => match part {
            AddressPart::Province => &[Target::Province, Target::Address],
            AddressPart::City => &[Target::City, Target::Address],
            AddressPart::District => &[Target::District, Target::Address],
            AddressPart::Street => &[Target::Street, Target::Address],
            AddressPart::Detail => &[Target::AddressDetail, Target::Address],
            AddressPart::Location => &[Target::Latitude],
        },
        Field::Tags | Field::Tag(_) => &[Target::Tags],
        Field::Birthday => &[Target::Birthday],
        Field::CustomerOwner => &[Target::Owner],
        Field::Product => &[Target::Product],
        Field::AssetCategory => &[Target::Category],
        Field::SerialNumber => &[Target::SerialNumber],
        Field::Price => &[Target::Price],
        Field::PurchaseDate => &[Target::PurchaseDate],
        Field::LastService => &[Target::LastService],
        Field::WarrantyEnd => &[Target::WarrantyEnd],
        Field::MaintenanceInterval => &[Target::ServiceInterval],
        _ => &[],
    };
    targets.iter().find_map(|t| rows::column_of(setup, *t))
}

fn op(ctx: &Context<'_>, parts: &[&str], kind: OpKind) -> Op {
    let mut all = vec!["op"];
    all.extend_from_slice(parts);
    Op {
        id: OpId::from_parts(ctx.born, stable(ctx.org, &all)),
        actor: ctx.actor,
        at: ctx.at,
        location: None,
        kind,
    }
}

/// 122 bits that depend only on the organization and the parts.
fn stable(org: OrgId, parts: &[&str]) -> u128 {
    let mut name = org.0.as_bytes().to_vec();
    for p in parts {
        name.push(0);
        name.extend_from_slice(p.as_bytes());
    }
    uuid::Uuid::new_v5(&IMPORT_NAMESPACE, &name).as_u128()
}

const IMPORT_NAMESPACE: uuid::Uuid =
    uuid::Uuid::from_u128(0x6c0f_1f52_5b8e_4a4e_9d1c_2e7a_3b41_c9d0);

/// The records an op reads, and what it wrote, without touching them: the dry run's
/// scratch copy.
struct Overlay<'a> {
    base: &'a MemoryRecords,
    added: BTreeMap<RecordKey, Record>,
}

impl Records for Overlay<'_> {
    fn get(&self, key: RecordKey) -> Result<Option<Record>, StorageError> {
        match self.added.get(&key) {
            Some(r) => Ok(Some(r.clone())),
            None => self.base.get(key),
        }
    }

    fn put(&mut self, record: Record) -> Result<(), StorageError> {
        self.added.insert(record.key(), record);
        Ok(())
    }

    fn find(&self, query: Query) -> Result<Vec<RecordKey>, StorageError> {
        self.base.find(query)
    }

    fn outcome(&self, _op: OpId) -> Result<Option<Decided>, StorageError> {
        Ok(None)
    }

    fn set_outcome(&mut self, _op: OpId, _decided: Decided) -> Result<(), StorageError> {
        Ok(())
    }

    fn login_holder(&self, login: &str) -> Result<Option<UserId>, StorageError> {
        self.base.login_holder(login)
    }
}

#[cfg(test)]
mod tests;
