//! Recording a sale (`OpKind::RecordPurchase`).

use super::customers::{may_work_on, visible_customer};
use super::records::RecordsExt;
use super::{Ctx, Field, NewPurchase, OpError, Problem, Record, RecordKey, Records, checks};
use crate::purchases::Purchase;

/// Most lines one receipt may carry.
const MAX_ITEMS: usize = 200;

pub(super) fn record<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    new: &NewPurchase,
) -> Result<Vec<RecordKey>, OpError> {
    let customer = visible_customer(records, ctx, new.customer)?;
    if customer.merged_into.is_some() {
        return Err(OpError::invalid(Field::JobCustomer, Problem::Merged));
    }
    may_work_on(ctx, &customer)?;
    super::fresh(records, RecordKey::Purchase(new.id))?;
    let store = new.store.unwrap_or(customer.store);
    if store != customer.store {
        // Another store of the organization may have sold it; one the seller works in.
        let s = records.store(store)?;
        if s.org != ctx.actor.org {
            return Err(OpError::NotFound {
                kind: super::RecordKind::Store,
                id: store.0,
            });
        }
        if !ctx.actor.manages_store(store) && !ctx.actor.in_store(store) {
            return Err(OpError::invalid(Field::SaleStore, Problem::OtherStore));
        }
    }
    checks::past_date(Field::PurchaseDate, new.on, ctx.op.at)?;
    if new.items.is_empty() {
        return Err(OpError::invalid(Field::PurchaseItems, Problem::Empty));
    }
    checks::list(Field::PurchaseItems, &new.items, MAX_ITEMS)?;
    for (i, item) in new.items.iter().enumerate() {
        checks::name(Field::PurchaseItem(i), &item.product)?;
        if !(1..=100_000).contains(&item.quantity) {
            return Err(OpError::invalid(
                Field::ItemQuantity(i),
                Problem::OutOfRange {
                    min: 1,
                    max: 100_000,
                },
            ));
        }
        checks::money(Field::ItemAmount(i), item.amount)?;
        if let Some(asset) = item.asset {
            match records.get(RecordKey::Asset(asset))? {
                Some(Record::Asset(a)) if a.customer == new.customer => {}
                Some(Record::Asset(_)) => {
                    return Err(OpError::invalid(
                        Field::PurchaseItem(i),
                        Problem::OtherCustomersAsset,
                    ));
                }
                _ => {
                    return Err(OpError::NotFound {
                        kind: super::RecordKind::Asset,
                        id: asset.0,
                    });
                }
            }
        }
    }
    checks::money(Field::PurchaseAmount, new.amount)?;
    if let Some(r) = &new.receipt {
        checks::name(Field::Receipt, r)?;
    }
    let purchase = Purchase {
        id: new.id,
        org: ctx.actor.org,
        customer: new.customer,
        store,
        on: new.on,
        items: new
            .items
            .iter()
            .map(|i| crate::purchases::Item {
                product: i.product.trim().to_owned(),
                ..i.clone()
            })
            .collect(),
        amount: new.amount,
        source: new.source,
        receipt: new.receipt.as_ref().map(|r| r.trim().to_owned()),
        recorded_by: ctx.actor.id,
        recorded_at: ctx.op.at,
    };
    records.put(Record::Purchase(purchase))?;
    Ok(vec![RecordKey::Purchase(new.id)])
}
