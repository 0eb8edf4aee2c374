//! Creating and editing customers and their assets.

use super::records::{Link, RecordsExt};
use super::{
    Ctx, CustomerPatch, Denied, Field, NewAsset, NewCustomer, OpError, Problem, Query, Record,
    RecordKey, Records, checks,
};
use crate::conflicts::FieldValue;
use crate::customers::{Asset, Customer, Phone};
use crate::ids::{CustomerId, StoreId, UserId};
use crate::org::{Role, User};
use crate::places::Address;

pub(super) fn create<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewCustomer,
) -> Result<Vec<RecordKey>, OpError> {
    may_edit_in(records, ctx, new.store)?;
    if !ctx.actor.manages_store(new.store) {
        // A rep adds customers for themselves (or for nobody); who else keeps a customer,
        // and what service they are promised, is the store manager's call.
        if new.owner.is_some_and(|o| o != ctx.actor.id) {
            return Err(OpError::Forbidden(Denied::OnlyManagerGivesCustomers));
        }
        if new.tier != crate::customers::Tier::Standard {
            return Err(OpError::Forbidden(Denied::OnlyManagerSetsTier));
        }
    }
    super::fresh(records, RecordKey::Customer(new.id))?;
    checks::name(Field::CustomerName, &new.name)?;
    let phones = phones(&new.phones)?;
    checks::address(Field::Address, &new.address)?;
    tags(&new.tags)?;
    if let Some(b) = new.birthday {
        checks::past_date(Field::Birthday, b, ctx.op.at)?;
    }
    if let Some(owner) = new.owner {
        sales_rep(records, ctx, owner, new.store)?;
    }
    let customer = Customer {
        id: new.id,
        org: ctx.actor.org,
        store: new.store,
        name: new.name.trim().to_owned(),
        phones,
        address: new.address.clone(),
        kind: new.kind,
        tags: new.tags.clone(),
        tier: new.tier,
        marketing_consent: new.marketing_consent,
        birthday: new.birthday,
        owner: new.owner,
        created_at: ctx.op.at,
        merged_into: None,
        previous_owners: Vec::new(),
        edits: Vec::new(),
        erased: None,
    };
    records.put(Record::Customer(customer))?;
    Ok(vec![RecordKey::Customer(new.id)])
}

pub(super) fn update<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: CustomerId,
    patch: &CustomerPatch,
    seen: &[FieldValue],
) -> Result<Vec<RecordKey>, OpError> {
    // An edit of a merged customer follows to the record it was merged into (a device that
    // edited offline did not know of the merge).
    let mut c = super::conflicts::current_customer(records, ctx, id)?;
    let id = c.id;
    for field in patch.fields() {
        may_change(ctx, &c, field)?;
    }
    // Everything is checked before anything changes.
    let wanted = values(records, ctx, &c, patch)?;
    let old_address = c.address.clone();
    let mut new_conflicts = Vec::new();
    for value in wanted {
        let saw = seen.iter().find(|s| s.field() == value.field());
        if let Some(conflict) = super::conflicts::edit_field(ctx, &mut c, value, saw) {
            super::fresh(records, RecordKey::Conflict(conflict.id))?;
            new_conflicts.push(conflict);
        }
    }
    let moved = (c.address != old_address).then(|| c.address.clone());
    records.put(Record::Customer(c))?;
    let mut touched = vec![RecordKey::Customer(id)];
    for conflict in new_conflicts {
        touched.push(RecordKey::Conflict(conflict.id));
        records.put(Record::Conflict(conflict))?;
    }
    if let Some(address) = moved {
        touched.extend(jobs_follow(records, id, &old_address, &address)?);
    }
    Ok(touched)
}

/// The customer's position from the door or the map. Besides who may change the address, the
/// technician working an open job of the customer may: they stand there.
pub(super) fn place<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: CustomerId,
    location: crate::places::LatLng,
) -> Result<Vec<RecordKey>, OpError> {
    let mut c = super::conflicts::current_customer(records, ctx, id)?;
    let id = c.id;
    if may_change(ctx, &c, CustomerField::Address).is_err() && !at_the_door(records, ctx, id)? {
        return Err(OpError::Forbidden(Denied::EditOnlyYourCustomers));
    }
    checks::location(Field::Address(super::AddressPart::Location), &location)?;
    if c.address.location == Some(location) && !c.address.approximate {
        return Ok(Vec::new());
    }
    let old_address = c.address.clone();
    let mut address = c.address.clone();
    address.location = Some(location);
    // Placed by a person on the map or at the door: no longer the district's centre.
    address.approximate = false;
    let conflict =
        super::conflicts::edit_field(ctx, &mut c, FieldValue::Address(address.clone()), None);
    if let Some(conflict) = &conflict {
        super::fresh(records, RecordKey::Conflict(conflict.id))?;
    }
    records.put(Record::Customer(c))?;
    let mut touched = vec![RecordKey::Customer(id)];
    if let Some(conflict) = conflict {
        touched.push(RecordKey::Conflict(conflict.id));
        records.put(Record::Conflict(conflict))?;
    }
    touched.extend(jobs_follow(records, id, &old_address, &address)?);
    Ok(touched)
}

/// The actor works an open job of the customer (as its technician or one of its crew).
fn at_the_door<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    customer: CustomerId,
) -> Result<bool, OpError> {
    if !ctx.has(Role::Technician) {
        return Ok(false);
    }
    for key in records.find(Query::LinkedTo(Link::Customer(customer)))? {
        if let RecordKey::Job(_) = key
            && let Some(Record::Job(j)) = records.get(key)?
            && j.is_open()
            && j.workers().any(|w| w == ctx.actor.id)
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The patch's values, checked and normalised as the record will hold them.
pub(super) fn values<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    c: &Customer,
    patch: &CustomerPatch,
) -> Result<Vec<FieldValue>, OpError> {
    let mut out = Vec::new();
    if let Some(name) = &patch.name {
        checks::name(Field::CustomerName, name)?;
        out.push(FieldValue::Name(name.trim().to_owned()));
    }
    if let Some(p) = &patch.phones {
        out.push(FieldValue::Phones(phones(p)?));
    }
    if let Some(a) = &patch.address {
        checks::address(Field::Address, a)?;
        out.push(FieldValue::Address(a.clone()));
    }
    if let Some(k) = patch.kind {
        out.push(FieldValue::Kind(k));
    }
    if let Some(t) = &patch.tags {
        tags(t)?;
        out.push(FieldValue::Tags(t.clone()));
    }
    if let Some(t) = patch.tier {
        out.push(FieldValue::Tier(t));
    }
    if let Some(m) = patch.marketing_consent {
        out.push(FieldValue::MarketingConsent(m));
    }
    if let Some(b) = patch.birthday {
        if let Some(day) = b {
            checks::past_date(Field::Birthday, day, ctx.op.at)?;
        }
        out.push(FieldValue::Birthday(b));
    }
    if let Some(owner) = patch.owner {
        if let Some(o) = owner {
            sales_rep(records, ctx, o, c.store)?;
        }
        out.push(FieldValue::Owner(owner));
    }
    Ok(out)
}

/// Puts one field's value on the customer, keeping who owned it before (their devices drop
/// the customer's jobs).
pub(super) fn set_value(c: &mut Customer, value: &FieldValue) {
    if let FieldValue::Owner(owner) = value
        && let Some(before) = c.owner
        && *owner != Some(before)
    {
        c.previous_owners
            .retain(|p| *p != before && Some(*p) != *owner);
        c.previous_owners.push(before);
    }
    value.set_on(c);
}

/// A corrected address reaches the customer's jobs that are not done yet and were going to
/// the old one (a job sent elsewhere, to a school's other building say, keeps its own).
/// The technician's device learns it with the job at its next sync.
pub(super) fn jobs_follow<R: Records + ?Sized>(
    records: &mut R,
    customer: CustomerId,
    old: &Address,
    new: &Address,
) -> Result<Vec<RecordKey>, OpError> {
    let mut touched = Vec::new();
    for key in records.find(Query::LinkedTo(Link::Customer(customer)))? {
        let RecordKey::Job(_) = key else { continue };
        let Some(Record::Job(mut job)) = records.get(key)? else {
            continue;
        };
        if job.is_open() && job.service_address == *old {
            job.service_address = new.clone();
            records.put(Record::Job(job))?;
            touched.push(key);
        }
    }
    Ok(touched)
}

pub(super) fn add_asset<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewAsset,
) -> Result<Vec<RecordKey>, OpError> {
    let customer = visible_customer(records, ctx, new.customer)?;
    may_work_on(ctx, &customer)?;
    super::fresh(records, RecordKey::Asset(new.id))?;
    checks::name(Field::Product, &new.product)?;
    checks::short(Field::AssetCategory, &new.category)?;
    checks::short(Field::SerialNumber, &new.serial_number)?;
    checks::money(Field::Price, new.price)?;
    checks::past_date(Field::PurchaseDate, new.purchase_date, ctx.op.at)?;
    if let Some(d) = new.last_service {
        checks::past_date(Field::LastService, d, ctx.op.at)?;
    }
    if let Some(end) = new.warranty_end
        && end < new.purchase_date
    {
        return Err(OpError::invalid(
            Field::WarrantyEnd,
            Problem::BeforePurchase,
        ));
    }
    if new.maintenance_interval_days == Some(0) {
        return Err(OpError::invalid(
            Field::MaintenanceInterval,
            Problem::TooSmall { min: 1 },
        ));
    }
    let asset = Asset {
        id: new.id,
        org: ctx.actor.org,
        customer: new.customer,
        product: new.product.trim().to_owned(),
        category: new.category.clone(),
        serial_number: new.serial_number.trim().to_owned(),
        purchase_date: new.purchase_date,
        price: new.price,
        warranty_end: new.warranty_end,
        last_service: new.last_service,
        maintenance_interval_days: new.maintenance_interval_days,
    };
    records.put(Record::Asset(asset))?;
    Ok(vec![RecordKey::Asset(new.id)])
}

/// A customer of the actor's organization; any other is reported as not found, so that ids
/// from other tenants cannot be probed.
pub(super) fn visible_customer<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    id: CustomerId,
) -> Result<Customer, OpError> {
    let c = records.customer(id)?;
    if c.org != ctx.actor.org {
        return Err(OpError::NotFound {
            kind: super::RecordKind::Customer,
            id: id.0,
        });
    }
    Ok(c)
}

/// Office staff of the store (and admins) keep its customer records.
pub(super) fn may_edit_in<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    store: StoreId,
) -> Result<(), OpError> {
    let s = records.store(store)?;
    if s.org != ctx.actor.org {
        return Err(OpError::NotFound {
            kind: super::RecordKind::Store,
            id: store.0,
        });
    }
    if ctx.actor.staffs_store(store) {
        Ok(())
    } else {
        Err(OpError::Forbidden(Denied::NotStaffForCustomers))
    }
}

/// One field of a customer record, as the write rules name it (`docs/access.md`).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CustomerField {
    Name,
    Phones,
    Address,
    Kind,
    Tags,
    MarketingConsent,
    Birthday,
    Tier,
    Owner,
}

impl CustomerField {
    pub const ALL: [CustomerField; 9] = [
        CustomerField::Name,
        CustomerField::Phones,
        CustomerField::Address,
        CustomerField::Kind,
        CustomerField::Tags,
        CustomerField::MarketingConsent,
        CustomerField::Birthday,
        CustomerField::Tier,
        CustomerField::Owner,
    ];

    /// How to reach and address the customer: what the rep who keeps the customer maintains.
    /// The others (tier: what service is promised; owner: who sees the customer unmasked)
    /// decide access and money, so they are the store manager's.
    #[must_use]
    pub fn is_contact(self) -> bool {
        !matches!(self, CustomerField::Tier | CustomerField::Owner)
    }
}

impl CustomerPatch {
    /// The fields this patch sets. A field counts when it is present, whether or not the value
    /// differs: "unchanged" answered differently from "forbidden" would tell a rep whether a
    /// guess matches a masked phone number.
    #[must_use]
    pub fn fields(&self) -> Vec<CustomerField> {
        use CustomerField as F;
        [
            (self.name.is_some(), F::Name),
            (self.phones.is_some(), F::Phones),
            (self.address.is_some(), F::Address),
            (self.kind.is_some(), F::Kind),
            (self.tags.is_some(), F::Tags),
            (self.marketing_consent.is_some(), F::MarketingConsent),
            (self.birthday.is_some(), F::Birthday),
            (self.tier.is_some(), F::Tier),
            (self.owner.is_some(), F::Owner),
        ]
        .into_iter()
        .filter_map(|(set, f)| set.then_some(f))
        .collect()
    }
}

/// The write rule for one field of an existing customer: a manager of the customer's store
/// changes anything; the rep who owns the customer changes its contact fields; nobody else
/// changes anything (they see the customer masked, if at all).
pub(super) fn may_change(ctx: &Ctx, c: &Customer, field: CustomerField) -> Result<(), OpError> {
    if allowed_to_change(ctx.actor, c, field) {
        return Ok(());
    }
    Err(OpError::Forbidden(if field.is_contact() {
        Denied::EditOnlyYourCustomers
    } else {
        Denied::OnlyManagerChangesTierOrOwner
    }))
}

/// Work that reads or copies a customer's personal data (assets, jobs, interactions): the
/// store's manager, or the rep who owns the customer.
pub(super) fn may_work_on(ctx: &Ctx, c: &Customer) -> Result<(), OpError> {
    if ctx.actor.manages_store(c.store) || owns(ctx, c) {
        Ok(())
    } else {
        Err(OpError::Forbidden(Denied::WorkOnlyForYourCustomers))
    }
}

fn owns(ctx: &Ctx, c: &Customer) -> bool {
    looks_after(ctx.actor, c)
}

fn looks_after(actor: &User, c: &Customer) -> bool {
    actor.has(Role::Sales) && actor.in_store(c.store) && c.owner == Some(actor.id)
}

/// The rule of [`may_change`] as a question, for screens that offer (or not) to edit.
#[must_use]
pub fn allowed_to_change(actor: &User, c: &Customer, field: CustomerField) -> bool {
    actor.manages_store(c.store) || (field.is_contact() && looks_after(actor, c))
}

fn sales_rep<R: Records + ?Sized>(
    records: &R,
    ctx: &Ctx,
    id: UserId,
    store: StoreId,
) -> Result<(), OpError> {
    let u = records.user(id)?;
    if u.org != ctx.actor.org || !u.has(Role::Sales) || !u.in_store(store) {
        return Err(OpError::invalid(
            Field::CustomerOwner,
            Problem::NotASalesRep,
        ));
    }
    Ok(())
}

/// Phones one customer may have; a merge keeps to it as well (`merge.rs`).
pub const MAX_PHONES: usize = 5;

fn phones(raw: &[String]) -> Result<Vec<Phone>, OpError> {
    checks::list(Field::Phones, raw, MAX_PHONES)?;
    let mut out: Vec<Phone> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        checks::phone(Field::Phone(i), r)?;
        let p = Phone::parse(r);
        if !out.iter().any(|q| q.digits() == p.digits()) {
            out.push(p);
        }
    }
    Ok(out)
}

fn tags(tags: &[String]) -> Result<(), OpError> {
    checks::list(Field::Tags, tags, 20)?;
    for (i, t) in tags.iter().enumerate() {
        checks::name(Field::Tag(i), t)?;
    }
    Ok(())
}
