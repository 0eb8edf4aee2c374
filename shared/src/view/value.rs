//! What a customer is worth and how they are doing, for the screens that show a customer:
//! the lifecycle stage, churn risk, RFM scores and their latest purchases
//! (`domain::purchases::value`, computed on the device from the replica, offline too).

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use crate::model::Model;
use domain::customers::Customer;
use domain::jobs::JobStatus;
use domain::ops::Record;
use domain::ops::records::Link;
use domain::purchases::value::{Activity, ChurnRisk, Lifecycle, Rfm, value};
use domain::purchases::{Purchase, history};

/// How many purchases a customer card lists.
const LATEST: usize = 5;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ValueView {
    pub lifecycle: Lifecycle,
    pub lifecycle_word: Word,
    pub churn: ChurnRisk,
    pub churn_word: Word,
    /// `None` for a customer who never bought anything.
    pub rfm: Option<Rfm>,
    /// "R4 F3 M3", the scores as a team reads them; empty without purchases.
    pub rfm_text: String,
    pub summary: Word,
    /// The latest purchases, newest first.
    pub purchases: Vec<PurchaseLine>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PurchaseLine {
    pub date: String,
    /// The products, as on the receipt.
    pub what: String,
    pub amount: String,
}

pub(super) fn view(model: &Model, ctx: &Ctx, c: &Customer) -> ValueView {
    let mut purchases: Vec<&Purchase> = Vec::new();
    let mut assets = Vec::new();
    let mut visits = Vec::new();
    for r in model.replica.linked(Link::Customer(c.id)) {
        match r {
            Record::Purchase(p) => purchases.push(p),
            Record::Asset(a) => assets.push(a),
            Record::Job(j) if j.status == JobStatus::Completed => {
                if let Some(h) = j
                    .history
                    .iter()
                    .rev()
                    .find(|h| h.to == JobStatus::Completed)
                {
                    visits.push(ctx.local_date(h.at));
                }
            }
            _ => {}
        }
    }
    let defaults = domain::purchases::value::ValueSettings::default();
    let settings = ctx.org.map_or(&defaults, |o| &o.settings.customer_value);
    let currency = ctx.org.map_or("CNY", |o| o.settings.currency.as_str());
    let bought = history(purchases.iter().copied(), assets.iter().copied());
    let v = value(
        &Activity {
            purchases: &bought,
            visits: &visits,
            created: ctx.local_date(c.created_at),
        },
        ctx.today(),
        settings,
    );
    purchases.sort_by_key(|p| std::cmp::Reverse((p.on, p.recorded_at)));
    ValueView {
        lifecycle: v.lifecycle,
        lifecycle_word: Word::new(ctx.t.lifecycle(v.lifecycle)),
        churn: v.churn,
        churn_word: Word::new(ctx.t.churn_risk(v.churn)),
        rfm: v.rfm,
        rfm_text: v
            .rfm
            .map(|r| format!("R{} F{} M{}", r.recency, r.frequency, r.monetary))
            .unwrap_or_default(),
        summary: Word::new(ctx.t.value_summary(&v, settings.window_days, currency)),
        purchases: purchases
            .into_iter()
            .take(LATEST)
            .map(|p| PurchaseLine {
                date: ctx.date(p.on),
                what: p
                    .items
                    .iter()
                    .map(|i| {
                        if i.quantity > 1 {
                            format!("{} × {}", i.product, i.quantity)
                        } else {
                            i.product.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                amount: ctx.t.money(p.amount, currency),
            })
            .collect(),
    }
}
