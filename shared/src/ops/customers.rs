//! Creating and editing customers and their assets.

use super::records::RecordsExt;
use super::{
    Ctx, CustomerPatch, NewAsset, NewCustomer, OpError, Record, RecordKey, Records, checks,
};
use crate::customers::{Asset, Customer, Phone};
use crate::ids::{CustomerId, StoreId, UserId};
use crate::org::Role;

pub(super) fn create<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewCustomer,
) -> Result<Vec<RecordKey>, OpError> {
    may_edit_in(records, ctx, new.store)?;
    if records.get(RecordKey::Customer(new.id))?.is_some() {
        return Err(OpError::Conflict(
            "a customer with this id already exists".into(),
        ));
    }
    checks::name("name", &new.name)?;
    let phones = phones(&new.phones)?;
    checks::address("address", &new.address)?;
    tags(&new.tags)?;
    if let Some(owner) = new.owner {
        sales_rep(records, ctx, owner)?;
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
    };
    records.put(Record::Customer(customer))?;
    Ok(vec![RecordKey::Customer(new.id)])
}

pub(super) fn update<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    id: CustomerId,
    patch: &CustomerPatch,
) -> Result<Vec<RecordKey>, OpError> {
    let mut c = visible_customer(records, ctx, id)?;
    may_edit_in(records, ctx, c.store)?;
    if c.merged_into.is_some() {
        return Err(OpError::Conflict(
            "this customer was merged into another record; edit that one instead".into(),
        ));
    }
    if let Some(name) = &patch.name {
        checks::name("name", name)?;
        c.name = name.trim().to_owned();
    }
    if let Some(p) = &patch.phones {
        c.phones = phones(p)?;
    }
    if let Some(a) = &patch.address {
        checks::address("address", a)?;
        c.address = a.clone();
    }
    if let Some(k) = patch.kind {
        c.kind = k;
    }
    if let Some(t) = &patch.tags {
        tags(t)?;
        c.tags = t.clone();
    }
    if let Some(t) = patch.tier {
        c.tier = t;
    }
    if let Some(m) = patch.marketing_consent {
        c.marketing_consent = m;
    }
    if let Some(b) = patch.birthday {
        c.birthday = b;
    }
    if let Some(owner) = patch.owner {
        if let Some(o) = owner {
            sales_rep(records, ctx, o)?;
        }
        c.owner = owner;
    }
    records.put(Record::Customer(c))?;
    Ok(vec![RecordKey::Customer(id)])
}

pub(super) fn add_asset<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewAsset,
) -> Result<Vec<RecordKey>, OpError> {
    let customer = visible_customer(records, ctx, new.customer)?;
    may_edit_in(records, ctx, customer.store)?;
    if records.get(RecordKey::Asset(new.id))?.is_some() {
        return Err(OpError::Conflict(
            "an asset with this id already exists".into(),
        ));
    }
    checks::name("product", &new.product)?;
    checks::short("category", &new.category)?;
    checks::short("serial_number", &new.serial_number)?;
    checks::money("price", new.price)?;
    if let Some(end) = new.warranty_end
        && end < new.purchase_date
    {
        return Err(OpError::invalid(
            "warranty_end",
            "is before the purchase date",
        ));
    }
    if new.maintenance_interval_days == Some(0) {
        return Err(OpError::invalid(
            "maintenance_interval_days",
            "must be at least 1",
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
    if ctx.has(Role::Admin)
        || ((ctx.has(Role::Dispatcher) || ctx.has(Role::Sales)) && ctx.actor.in_store(store))
    {
        Ok(())
    } else {
        Err(OpError::Forbidden(format!(
            "only the staff of {} can edit its customers",
            s.name
        )))
    }
}

fn sales_rep<R: Records + ?Sized>(records: &R, ctx: &Ctx, id: UserId) -> Result<(), OpError> {
    let u = records.user(id)?;
    if u.org != ctx.actor.org || !u.has(Role::Sales) {
        return Err(OpError::invalid("owner", "must be an active sales rep"));
    }
    Ok(())
}

/// Phones one customer may have; a merge keeps to it as well (`merge.rs`).
pub(super) const MAX_PHONES: usize = 5;

fn phones(raw: &[String]) -> Result<Vec<Phone>, OpError> {
    checks::list("phones", raw, MAX_PHONES)?;
    let mut out: Vec<Phone> = Vec::with_capacity(raw.len());
    for (i, r) in raw.iter().enumerate() {
        let field = format!("phones[{i}]");
        checks::short(&field, r)?;
        let p = Phone::parse(r);
        if p.digits().len() < 5 {
            return Err(OpError::invalid(&field, "is not a phone number"));
        }
        if !out.iter().any(|q| q.digits() == p.digits()) {
            out.push(p);
        }
    }
    Ok(out)
}

fn tags(tags: &[String]) -> Result<(), OpError> {
    checks::list("tags", tags, 20)?;
    for (i, t) in tags.iter().enumerate() {
        checks::name(&format!("tags[{i}]"), t)?;
    }
    Ok(())
}
