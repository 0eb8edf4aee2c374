//! One row of a file read into what it says about a customer and, when it names a product,
//! an asset: every cell read by its column's field, every problem kept with its row and
//! column.

use chrono::NaiveDate;

use super::columns::Target;
use super::{Cell, Problem, RowProblem, Setup, values};
use crate::customers::{CustomerKind, Tier};
use crate::ids::{StoreId, UserId};
use crate::org::{Role, Store, User, normalize_login};
use crate::places::{Address, LatLng};

/// The stores and sales reps a file may name, by name and sign-in name.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    stores: Vec<(String, StoreId)>,
    reps: Vec<(String, String, UserId)>,
}

impl Directory {
    #[must_use]
    pub fn new<'a>(
        stores: impl IntoIterator<Item = &'a Store>,
        users: impl IntoIterator<Item = &'a User>,
    ) -> Self {
        Directory {
            stores: stores.into_iter().map(|s| (fold(&s.name), s.id)).collect(),
            reps: users
                .into_iter()
                .filter(|u| u.active && u.roles.contains(&Role::Sales))
                .map(|u| (normalize_login(&u.login), fold(&u.name), u.id))
                .collect(),
        }
    }

    fn store(&self, name: &str) -> Option<StoreId> {
        let name = fold(name);
        self.stores
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
    }

    fn rep(&self, who: &str) -> Option<UserId> {
        let login = normalize_login(who);
        let name = fold(who);
        self.reps
            .iter()
            .find(|(l, _, _)| *l == login)
            .or_else(|| self.reps.iter().find(|(_, n, _)| *n == name))
            .map(|(_, _, id)| *id)
    }
}

fn fold(s: &str) -> String {
    values::clean(s).to_lowercase()
}

/// What one row says.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub row: u32,
    /// Rows with the same key are one customer: the customer id of the file, else the first
    /// phone number, else the name and address.
    pub key: String,
    pub name: String,
    pub phones: Vec<String>,
    pub address: Address,
    pub kind: Option<CustomerKind>,
    pub tier: Option<Tier>,
    pub tags: Vec<String>,
    pub consent: Option<bool>,
    pub birthday: Option<NaiveDate>,
    pub owner: Option<UserId>,
    pub store: StoreId,
    pub asset: Option<AssetDraft>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct AssetDraft {
    pub product: String,
    pub category: String,
    pub serial_number: String,
    pub purchase_date: Option<NaiveDate>,
    pub price: Option<i64>,
    pub warranty_end: Option<NaiveDate>,
    pub last_service: Option<NaiveDate>,
    pub interval_days: Option<u32>,
}

/// Reads the data row at `index` (0-based) of a file mapped by `setup`. A row with any
/// problem gives no draft; an empty row gives neither draft nor problem.
#[must_use]
pub fn read(
    index: usize,
    cells: &[Cell],
    setup: &Setup,
    dir: &Directory,
    today: NaiveDate,
) -> (Option<Draft>, Vec<RowProblem>) {
    let row = super::Sheet::row_number(index);
    let mut problems = Vec::new();
    if cells.iter().all(Cell::is_empty) {
        return (None, problems);
    }
    let mut d = Draft {
        row,
        key: String::new(),
        name: String::new(),
        phones: Vec::new(),
        address: Address::default(),
        kind: None,
        tier: None,
        tags: Vec::new(),
        consent: None,
        birthday: None,
        owner: None,
        store: setup.store,
        asset: None,
    };
    let mut asset = AssetDraft::default();
    let mut asset_columns: Option<u32> = None;
    let mut reference = String::new();
    let (mut lat, mut lng) = (None, None);
    for (col, (cell, target)) in cells.iter().zip(&setup.mapping).enumerate() {
        let Some(target) = *target else { continue };
        if cell.is_empty() {
            continue;
        }
        let column = u32::try_from(col).unwrap_or(u32::MAX);
        if target.is_asset() && asset_columns.is_none() {
            asset_columns = Some(column);
        }
        let mut problem = |p: Problem| {
            problems.push(RowProblem {
                row,
                column: Some(column),
                problem: p,
            });
        };
        let text = || values::text(cell);
        let result: Result<(), Problem> = (|| {
            match target {
                Target::CustomerRef => reference = text()?,
                Target::Name => d.name = text()?,
                Target::Phone => d.phones.extend(values::phones(cell)?),
                Target::Address => {
                    let parts = values::split_address(&text()?);
                    d.address = Address {
                        location: d.address.location,
                        ..parts
                    };
                }
                Target::Province => d.address.province = text()?,
                Target::City => d.address.city = text()?,
                Target::District => d.address.district = text()?,
                Target::Street => d.address.street = text()?,
                Target::AddressDetail => d.address.detail = text()?,
                Target::Latitude => lat = Some(values::degrees(cell)?),
                Target::Longitude => lng = Some(values::degrees(cell)?),
                Target::Kind => d.kind = Some(values::kind(cell)?),
                Target::Tier => d.tier = Some(values::tier(cell)?),
                Target::Tags => d.tags.extend(
                    text()?
                        .split([',', '，', ';', '；', '、'])
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned),
                ),
                Target::MarketingConsent => d.consent = Some(values::yes_no(cell)?),
                Target::Birthday => d.birthday = Some(dated(cell, today)?),
                Target::Owner => {
                    let who = text()?;
                    d.owner = Some(dir.rep(&who).ok_or(Problem::UnknownOwner(who))?);
                }
                Target::Store => {
                    let name = text()?;
                    d.store = dir.store(&name).ok_or(Problem::UnknownStore(name))?;
                }
                Target::Product => asset.product = text()?,
                Target::Category => asset.category = text()?,
                Target::SerialNumber => asset.serial_number = text()?,
                Target::PurchaseDate => asset.purchase_date = Some(dated(cell, today)?),
                Target::Price => asset.price = Some(values::amount(cell)?),
                Target::WarrantyEnd => asset.warranty_end = Some(values::date(cell)?),
                Target::LastService => asset.last_service = Some(dated(cell, today)?),
                Target::ServiceInterval => asset.interval_days = Some(values::whole(cell)?),
            }
            Ok(())
        })();
        if let Err(p) = result {
            problem(p);
        }
    }
    match (lat, lng) {
        (Some(lat), Some(lng)) => {
            let p = LatLng { lat, lng };
            if p.is_valid() {
                d.address.location = Some(p);
            } else {
                problems.push(RowProblem {
                    row,
                    column: column_of(setup, Target::Latitude),
                    problem: Problem::BadPosition,
                });
            }
        }
        (None, None) => {}
        _ => problems.push(RowProblem {
            row,
            column: column_of(setup, Target::Latitude),
            problem: Problem::BadPosition,
        }),
    }
    if d.name.is_empty()
        && !problems
            .iter()
            .any(|p| p.column == column_of(setup, Target::Name))
    {
        problems.push(RowProblem {
            row,
            column: column_of(setup, Target::Name),
            problem: Problem::Missing(Target::Name),
        });
    }
    if let Some(column) = asset_columns {
        // A cell already reported (a date that is not one) is not reported again as empty.
        let reported = |t: Target| {
            let c = column_of(setup, t);
            c.is_some() && problems.iter().any(|p| p.column == c)
        };
        if asset.product.is_empty() && !reported(Target::Product) {
            problems.push(RowProblem {
                row,
                column: column_of(setup, Target::Product).or(Some(column)),
                problem: Problem::AssetWithoutProduct,
            });
        } else if asset.purchase_date.is_none() && !reported(Target::PurchaseDate) {
            problems.push(RowProblem {
                row,
                column: column_of(setup, Target::PurchaseDate).or(Some(column)),
                problem: Problem::Missing(Target::PurchaseDate),
            });
        }
        d.asset = Some(asset);
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.column);
        return (None, problems);
    }
    d.key = if !reference.is_empty() {
        format!("ref:{}", reference.to_lowercase())
    } else if let Some(first) = d.phones.first() {
        format!("tel:{}", crate::customers::Phone::parse(first).digits())
    } else {
        format!("name:{}|{}", fold(&d.name), fold(&d.address.one_line()))
    };
    (Some(d), problems)
}

/// A date in the past (a birthday, a purchase, a service): one in a later year is a typo.
fn dated(cell: &Cell, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let d = values::date(cell)?;
    if values::plausible(d, today) {
        Ok(d)
    } else {
        Err(Problem::NotADate(d.to_string()))
    }
}

/// The first column mapped to `target`.
#[must_use]
pub fn column_of(setup: &Setup, target: Target) -> Option<u32> {
    setup
        .mapping
        .iter()
        .position(|t| *t == Some(target))
        .and_then(|i| u32::try_from(i).ok())
}
