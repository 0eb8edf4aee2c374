//! Which Rounds field each column of a file fills: guessed from the headers other systems
//! write (in English and Chinese) and from what the cells look like, then corrected by the
//! person in the preview.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Cell;
use crate::customers::Phone;

/// A field a column can fill.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Facet,
)]
#[repr(C)]
pub enum Target {
    /// The customer's id in the system the file comes from: rows with the same one are one
    /// customer (a till's export has a row per purchase).
    CustomerRef,
    Name,
    /// Several columns may hold phones, and one cell several numbers (`138.../021-...`).
    Phone,
    /// The whole address in one cell, split into its parts on import.
    Address,
    Province,
    City,
    District,
    Street,
    AddressDetail,
    Latitude,
    Longitude,
    Kind,
    Tier,
    /// Comma-separated; several columns may hold tags.
    Tags,
    MarketingConsent,
    Birthday,
    /// The sales rep who looks after the customer, by sign-in name or name.
    Owner,
    /// The store, by name.
    Store,
    Product,
    Category,
    SerialNumber,
    PurchaseDate,
    Price,
    WarrantyEnd,
    LastService,
    /// Days between routine services.
    ServiceInterval,
}

impl Target {
    pub const ALL: [Target; 26] = [
        Target::CustomerRef,
        Target::Name,
        Target::Phone,
        Target::Address,
        Target::Province,
        Target::City,
        Target::District,
        Target::Street,
        Target::AddressDetail,
        Target::Latitude,
        Target::Longitude,
        Target::Kind,
        Target::Tier,
        Target::Tags,
        Target::MarketingConsent,
        Target::Birthday,
        Target::Owner,
        Target::Store,
        Target::Product,
        Target::Category,
        Target::SerialNumber,
        Target::PurchaseDate,
        Target::Price,
        Target::WarrantyEnd,
        Target::LastService,
        Target::ServiceInterval,
    ];

    /// Whether more than one column may fill it.
    #[must_use]
    pub fn repeats(self) -> bool {
        matches!(self, Target::Phone | Target::Tags)
    }

    /// Whether it describes the asset (the purchase) of the row rather than the customer.
    #[must_use]
    pub fn is_asset(self) -> bool {
        matches!(
            self,
            Target::Product
                | Target::Category
                | Target::SerialNumber
                | Target::PurchaseDate
                | Target::Price
                | Target::WarrantyEnd
                | Target::LastService
                | Target::ServiceInterval
        )
    }

    /// Headers other systems use for it, folded ([`fold_header`]).
    fn headers(self) -> &'static [&'static str] {
        match self {
            Target::CustomerRef => &[
                "customerid",
                "customerno",
                "customernumber",
                "clientid",
                "memberid",
                "memberno",
                "accountid",
                "id",
                "客户编号",
                "客户id",
                "会员编号",
                "会员号",
                "会员卡号",
                "客户号",
                "编号",
            ],
            Target::Name => &[
                "name",
                "customer",
                "customername",
                "fullname",
                "client",
                "clientname",
                "contact",
                "contactname",
                "姓名",
                "客户",
                "客户名称",
                "客户姓名",
                "名称",
                "会员姓名",
                "联系人",
            ],
            Target::Phone => &[
                "phone",
                "mobile",
                "tel",
                "telephone",
                "phonenumber",
                "mobilephone",
                "cell",
                "cellphone",
                "手机",
                "手机号",
                "手机号码",
                "电话",
                "联系电话",
                "电话号码",
                "座机",
            ],
            Target::Address => &[
                "address",
                "fulladdress",
                "streetaddress",
                "地址",
                "详细地址",
                "联系地址",
                "住址",
                "客户地址",
            ],
            Target::Province => &["province", "state", "省", "省份"],
            Target::City => &["city", "town", "市", "城市"],
            Target::District => &["district", "county", "区", "区县", "区域"],
            Target::Street => &["street", "road", "街道", "路"],
            Target::AddressDetail => &[
                "detail",
                "unit",
                "apartment",
                "room",
                "building",
                "addressline2",
                "门牌",
                "门牌号",
                "楼层房号",
            ],
            Target::Latitude => &["lat", "latitude", "纬度"],
            Target::Longitude => &["lng", "lon", "long", "longitude", "经度"],
            Target::Kind => &["type", "customertype", "kind", "类型", "客户类型"],
            Target::Tier => &[
                "tier",
                "level",
                "memberlevel",
                "membership",
                "等级",
                "会员等级",
                "级别",
            ],
            Target::Tags => &["tags", "tag", "labels", "标签"],
            Target::MarketingConsent => &[
                "consent",
                "marketingconsent",
                "optin",
                "newsletter",
                "营销同意",
                "同意营销",
                "接受推广",
            ],
            Target::Birthday => &[
                "birthday",
                "dateofbirth",
                "dob",
                "birthdate",
                "生日",
                "出生日期",
            ],
            Target::Owner => &[
                "owner",
                "salesrep",
                "rep",
                "accountmanager",
                "salesperson",
                "负责人",
                "销售",
                "销售顾问",
                "客户经理",
            ],
            Target::Store => &[
                "store", "shop", "branch", "location", "门店", "店铺", "分店",
            ],
            Target::Product => &[
                "product",
                "item",
                "productname",
                "itemname",
                "model",
                "商品",
                "商品名称",
                "产品",
                "产品名称",
                "型号",
            ],
            Target::Category => &["category", "productcategory", "类别", "品类", "分类"],
            Target::SerialNumber => &[
                "serial",
                "serialnumber",
                "serialno",
                "sn",
                "序列号",
                "编码",
                "机身号",
            ],
            Target::PurchaseDate => &[
                "purchasedate",
                "date",
                "orderdate",
                "saledate",
                "boughton",
                "购买日期",
                "日期",
                "销售日期",
                "下单日期",
            ],
            Target::Price => &[
                "price",
                "amount",
                "total",
                "paid",
                "value",
                "金额",
                "价格",
                "实付",
                "实付金额",
                "售价",
            ],
            Target::WarrantyEnd => &[
                "warranty",
                "warrantyend",
                "warrantyuntil",
                "warrantyexpiry",
                "保修期至",
                "保修截止",
                "保修到期",
            ],
            Target::LastService => &[
                "lastservice",
                "lastserviced",
                "lastvisit",
                "上次保养",
                "上次服务",
                "最近服务",
            ],
            Target::ServiceInterval => &[
                "serviceinterval",
                "intervaldays",
                "maintenanceinterval",
                "保养周期",
                "服务周期",
            ],
        }
    }
}

/// A header as compared: lower case, without spaces, punctuation or a trailing unit.
fn fold_header(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field each column most likely fills. A header that names a field wins; a column no
/// header names is read as phones when most of its first cells are phone numbers. Each
/// field but [`Target::repeats`] ones is given to one column, the first.
#[must_use]
pub fn guess(headers: &[String], sample: &[Vec<Cell>]) -> Vec<Option<Target>> {
    let mut out: Vec<Option<Target>> = headers
        .iter()
        .map(|h| {
            let h = fold_header(h);
            Target::ALL
                .into_iter()
                .find(|t| t.headers().contains(&h.as_str()))
        })
        .collect();
    for (i, h) in headers.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        // "Mobile (primary)", "客户手机号（主）": a header that starts with a known one.
        let h = fold_header(h);
        out[i] = Target::ALL.into_iter().find(|t| {
            t.headers()
                .iter()
                .any(|k| k.chars().count() >= 3 && h.starts_with(k))
        });
    }
    for (i, slot) in out.iter_mut().enumerate() {
        if slot.is_some() {
            continue;
        }
        let cells: Vec<&Cell> = sample
            .iter()
            .filter_map(|r| r.get(i))
            .filter(|c| !c.is_empty())
            .collect();
        let phones = cells
            .iter()
            .filter(|c| Phone::parse(&c.shown()).e164.is_some())
            .count();
        if !cells.is_empty() && phones * 5 >= cells.len() * 4 {
            *slot = Some(Target::Phone);
        }
    }
    let mut seen = Vec::new();
    for slot in &mut out {
        if let Some(t) = *slot {
            if !t.repeats() && seen.contains(&t) {
                *slot = None;
            } else {
                seen.push(t);
            }
        }
    }
    out
}

/// Why a mapping cannot be used, before any row is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MappingError {
    /// No column holds the customer's name.
    NoName,
    /// Two columns fill a field that takes one.
    Twice(Target),
    /// Latitude without longitude, or the reverse.
    HalfPosition,
    /// The mapping has a different number of columns from the file.
    Width { mapping: u32, file: u32 },
}

/// Checks a mapping against a file's width.
pub fn check(mapping: &[Option<Target>], width: usize) -> Result<(), MappingError> {
    if mapping.len() != width {
        return Err(MappingError::Width {
            mapping: u32::try_from(mapping.len()).unwrap_or(u32::MAX),
            file: u32::try_from(width).unwrap_or(u32::MAX),
        });
    }
    let mut seen = Vec::new();
    for t in mapping.iter().flatten() {
        if !t.repeats() && seen.contains(t) {
            return Err(MappingError::Twice(*t));
        }
        seen.push(*t);
    }
    if !seen.contains(&Target::Name) {
        return Err(MappingError::NoName);
    }
    if seen.contains(&Target::Latitude) != seen.contains(&Target::Longitude) {
        return Err(MappingError::HalfPosition);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heads(h: &[&str]) -> Vec<String> {
        h.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn english_and_chinese_headers_are_recognised() {
        let h = heads(&[
            "Customer Name",
            "Mobile",
            "Address",
            "Member Level",
            "Date of Birth",
        ]);
        assert_eq!(
            guess(&h, &[]),
            [
                Some(Target::Name),
                Some(Target::Phone),
                Some(Target::Address),
                Some(Target::Tier),
                Some(Target::Birthday)
            ]
        );
        let h = heads(&[
            "客户姓名",
            "手机号码",
            "联系电话",
            "详细地址",
            "购买日期",
            "实付金额",
            "备注",
        ]);
        assert_eq!(
            guess(&h, &[]),
            [
                Some(Target::Name),
                Some(Target::Phone),
                Some(Target::Phone),
                Some(Target::Address),
                Some(Target::PurchaseDate),
                Some(Target::Price),
                None
            ]
        );
    }

    #[test]
    fn an_unnamed_column_of_phone_numbers_is_read_as_phones() {
        let h = heads(&["姓名", "x"]);
        let rows = vec![
            vec![Cell::Text("张伟".into()), Cell::Text("13812345678".into())],
            vec![
                Cell::Text("王芳".into()),
                Cell::Text("021-6234 5678".into()),
            ],
        ];
        assert_eq!(guess(&h, &rows), [Some(Target::Name), Some(Target::Phone)]);
    }

    #[test]
    fn a_field_that_takes_one_column_goes_to_the_first() {
        let h = heads(&["Name", "Customer Name"]);
        assert_eq!(guess(&h, &[]), [Some(Target::Name), None]);
    }

    #[test]
    fn mappings_without_a_name_or_with_a_field_twice_are_refused() {
        assert_eq!(check(&[Some(Target::Phone)], 1), Err(MappingError::NoName));
        assert_eq!(
            check(&[Some(Target::Name), Some(Target::Name)], 2),
            Err(MappingError::Twice(Target::Name))
        );
        assert_eq!(
            check(&[Some(Target::Name), Some(Target::Latitude)], 2),
            Err(MappingError::HalfPosition)
        );
        assert_eq!(
            check(&[Some(Target::Name)], 2),
            Err(MappingError::Width {
                mapping: 1,
                file: 2
            })
        );
        assert!(
            check(
                &[Some(Target::Name), Some(Target::Phone), Some(Target::Phone)],
                3
            )
            .is_ok()
        );
    }
}
