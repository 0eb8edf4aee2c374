//! The dry run and the plan against a small organization in memory: what a file becomes,
//! what it is refused for (row and column), duplicates, and running it twice.

use chrono::{NaiveDate, TimeZone, Utc};

use super::*;
use crate::followups::rules::fixture::Fixture;
use crate::ids::StoreId;
use crate::import::{Cell, OnDuplicate, Problem, Setup, Sheet, Target};
use crate::lookup::{DuplicateReason, Index};
use crate::ops::apply;
use crate::ops::records::Link;

/// The customers of an organization in memory, as the server's store and lookup index give
/// them to an import.
struct Known<'a> {
    records: &'a MemoryRecords,
    index: Index,
}

impl<'a> Known<'a> {
    fn new(records: &'a MemoryRecords) -> Self {
        let customers: Vec<Customer> = records.customers().cloned().collect();
        Known {
            records,
            index: Index::from_customers(&customers),
        }
    }
}

impl Existing for Known<'_> {
    fn customer(&self, id: CustomerId) -> Option<Customer> {
        let mut c = self.records.customers().find(|c| c.id == id)?.clone();
        while let Some(next) = c.merged_into {
            c = self.records.customers().find(|x| x.id == next)?.clone();
        }
        Some(c)
    }

    fn asset_exists(&self, id: AssetId) -> bool {
        self.records
            .get(RecordKey::Asset(id))
            .ok()
            .flatten()
            .is_some()
    }

    fn assets_of(&self, customer: CustomerId) -> Vec<Asset> {
        self.records
            .linked(Link::Customer(customer))
            .filter_map(|r| match r {
                Record::Asset(a) => Some(a.clone()),
                _ => None,
            })
            .collect()
    }

    fn similar(&self, probe: &Probe<'_>) -> Vec<Duplicate> {
        crate::lookup::duplicates(&self.index, probe, 3)
    }
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_owned())
    }
}

fn sheet(headers: &[&str], rows: &[&[&str]]) -> Sheet {
    Sheet {
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().map(|c| text(c)).collect())
            .collect(),
        ragged: Vec::new(),
    }
}

fn setup(f: &Fixture, sheet: &Sheet) -> Setup {
    Setup {
        mapping: columns::guess(&sheet.headers, &sheet.rows),
        store: f.store,
        on_duplicate: OnDuplicate::Merge,
        skip_problem_rows: false,
    }
}

fn ctx(f: &Fixture) -> Context<'_> {
    Context {
        org: f.org,
        actor: f.admin,
        at: Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap(),
        today: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        born: 1_790_000_000_000,
        base: &f.records,
    }
}

fn plan(f: &Fixture, sheet: &Sheet, setup: &Setup) -> Plan {
    let known = Known::new(&f.records);
    check(sheet, setup, &ctx(f), &known).expect("mapping")
}

/// Sends every planned op through `apply`, as the server does.
fn run(f: &mut Fixture, plan: &Plan) {
    for g in &plan.groups {
        for op in &g.ops {
            apply(&mut f.records, op).expect("planned ops apply");
        }
    }
}

fn till_export() -> Sheet {
    sheet(
        &[
            "会员编号",
            "姓名",
            "手机",
            "地址",
            "商品",
            "序列号",
            "购买日期",
            "金额",
        ],
        &[
            &[
                "M001",
                "张伟",
                "138 1234 5678",
                "上海市徐汇区漕溪北路88号",
                "立式钢琴",
                "U1-001",
                "2024-03-05",
                "¥28,000",
            ],
            &[
                "M001",
                "张伟",
                "138 1234 5678",
                "上海市徐汇区漕溪北路88号",
                "琴凳",
                "",
                "45356",
                "800",
            ],
            &[
                "M002",
                "Olivia Chen",
                "(415) 555-0100",
                "1266 Nanjing West Road, Jing'an, Shanghai",
                "",
                "",
                "",
                "",
            ],
        ],
    )
}

#[test]
fn a_till_export_becomes_customers_with_their_purchases() {
    let mut f = Fixture::new(chrono_tz::Asia::Shanghai);
    let s = till_export();
    let setup = setup(&f, &s);
    let p = plan(&f, &s, &setup);
    assert_eq!(p.report.problems, vec![]);
    assert_eq!(
        (
            p.report.rows,
            p.report.rows_ok,
            p.report.new_customers,
            p.report.new_assets
        ),
        (3, 3, 2, 2)
    );
    run(&mut f, &p);
    let zhang = f
        .records
        .customers()
        .find(|c| c.name == "张伟")
        .expect("imported");
    assert_eq!(zhang.phones[0].e164.as_deref(), Some("+8613812345678"));
    assert_eq!(
        (
            &*zhang.address.district,
            &*zhang.address.street,
            &*zhang.address.detail
        ),
        ("徐汇区", "漕溪北路", "88号")
    );
    let assets = Known::new(&f.records).assets_of(zhang.id);
    let mut bought: Vec<(String, NaiveDate, i64)> = assets
        .iter()
        .map(|a| (a.product.clone(), a.purchase_date, a.price))
        .collect();
    bought.sort();
    assert_eq!(
        bought,
        [
            (
                "琴凳".to_owned(),
                NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(),
                80_000
            ),
            (
                "立式钢琴".to_owned(),
                NaiveDate::from_ymd_opt(2024, 3, 5).unwrap(),
                2_800_000
            ),
        ]
    );
    // Each priced row is also a sale of its own, naming the asset it bought, so the
    // customer's value counts it once (not again through the asset).
    let sales: Vec<&crate::purchases::Purchase> = f
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Purchase(p) if p.customer == zhang.id => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(sales.len(), 2);
    for sale in &sales {
        assert_eq!(sale.source, crate::purchases::Source::Import);
        assert_eq!(sale.on, NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
        let asset = sale.items[0].asset.expect("names its asset");
        let a = assets.iter().find(|a| a.id == asset).expect("that asset");
        assert_eq!((sale.amount, sale.items[0].amount), (a.price, a.price));
    }
    let history = crate::purchases::history(sales.iter().copied(), assets.iter());
    assert_eq!(history.len(), 2, "{history:?}");
}

#[test]
fn running_the_same_file_again_creates_nothing_new() {
    let mut f = Fixture::new(chrono_tz::Asia::Shanghai);
    let s = till_export();
    let setup = setup(&f, &s);
    let first = plan(&f, &s, &setup);
    run(&mut f, &first);
    let records = f.records.len();
    let again = plan(&f, &s, &setup);
    assert_eq!(
        (
            again.report.new_customers,
            again.report.new_assets,
            again.report.already_imported
        ),
        (0, 0, 2)
    );
    assert!(again.groups.iter().all(|g| g.ops.is_empty()));
    run(&mut f, &again);
    assert_eq!(f.records.len(), records);
}

#[test]
fn an_import_stopped_halfway_resumes_where_it_stopped() {
    let mut f = Fixture::new(chrono_tz::Asia::Shanghai);
    let rows: Vec<Vec<String>> = (0..20)
        .map(|i| vec![format!("客户{i}"), format!("1390000{:04}", i)])
        .collect();
    let refs: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let refs: Vec<&[&str]> = refs.iter().map(Vec::as_slice).collect();
    let s = sheet(&["Name", "Phone"], &refs);
    let setup = setup(&f, &s);
    let p = plan(&f, &s, &setup);
    // The server stopped after the seventh customer's ops.
    for g in &p.groups[..7] {
        for op in &g.ops {
            apply(&mut f.records, op).unwrap();
        }
    }
    let rest = plan(&f, &s, &setup);
    assert_eq!(
        (rest.report.already_imported, rest.report.new_customers),
        (7, 13)
    );
    run(&mut f, &rest);
    assert_eq!(f.records.customers().count(), 20);
}

#[test]
fn every_problem_is_named_by_row_and_column_and_nothing_is_planned_for_it() {
    let f = Fixture::new(chrono_tz::Asia::Shanghai);
    let long = "名".repeat(300);
    let s = sheet(
        &[
            "Name",
            "Phone",
            "Tier",
            "Birthday",
            "Product",
            "Purchase date",
            "Price",
        ],
        &[
            &["王芳", "13900001111", "Gold", "1990-05-01", "", "", ""],
            &["", "13900002222", "", "", "", "", ""],
            &["李雷", "12345", "bronze", "03/05/1990", "", "", ""],
            &["韩梅梅", "13900003333", "", "=TODAY()", "Drill", "", "-5"],
            &["李明", "13900005555", "", "", "Drill", "03/05/2024", ""],
            &[&long, "13900004444", "", "", "", "", ""],
        ],
    );
    let mut setup = setup(&f, &s);
    let p = plan(&f, &s, &setup);
    let found: Vec<(u32, Option<u32>, &Problem)> = p
        .report
        .problems
        .iter()
        .map(|x| (x.row, x.column, &x.problem))
        .collect();
    assert_eq!(
        found,
        vec![
            (3, Some(0), &Problem::Missing(Target::Name)),
            (4, Some(1), &Problem::NotAPhone("12345".into())),
            (4, Some(2), &Problem::UnknownTier("bronze".into())),
            (4, Some(3), &Problem::AmbiguousDate("03/05/1990".into())),
            (5, Some(3), &Problem::Formula("=TODAY()".into())),
            (5, Some(5), &Problem::Missing(Target::PurchaseDate)),
            (5, Some(6), &Problem::NotAnAmount("-5".into())),
            // A date that is not one is said once, not again as missing.
            (6, Some(5), &Problem::AmbiguousDate("03/05/2024".into())),
            (
                7,
                Some(0),
                &Problem::Refused(OpError::Invalid {
                    field: Field::CustomerName,
                    problem: crate::ops::Problem::TooLong { max: 200 }
                })
            ),
        ],
        "{:#?}",
        p.report.problems
    );
    assert_eq!(p.report.rows_ok, 1);
    assert_eq!(p.report.problem_rows(), 5);
    assert!(!p.report.may_run(&setup));
    setup.skip_problem_rows = true;
    assert!(p.report.may_run(&setup));
    // Only the good row is planned.
    assert_eq!(p.groups.len(), 1);
    assert_eq!(p.groups[0].rows, [2]);
}

#[test]
fn a_customer_already_in_rounds_is_suggested_and_merged_or_skipped_as_chosen() {
    let mut f = Fixture::new(chrono_tz::Asia::Shanghai);
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 2, 0, 0).unwrap();
    let there = f.customer(at, None, false, None);
    let admin = f.admin;
    f.op(
        admin,
        at,
        OpKind::UpdateCustomer {
            customer: there,
            patch: CustomerPatch {
                phones: Some(vec!["13912345678".into()]),
                ..CustomerPatch::default()
            },
            seen: Vec::new(),
        },
    )
    .unwrap();
    let s = sheet(
        &["Name", "Phone", "Phone 2", "Product", "Purchase date"],
        &[&[
            "Zhang Wei",
            "139 1234 5678",
            "021-62345678",
            "Piano",
            "2025-01-02",
        ]],
    );
    let mut setup = setup(&f, &s);
    assert_eq!(setup.mapping[2], Some(Target::Phone));
    let p = plan(&f, &s, &setup);
    assert_eq!(p.report.duplicates.len(), 1);
    let d = &p.report.duplicates[0];
    assert_eq!(
        (d.row, d.existing, d.reason),
        (2, there, DuplicateReason::SamePhone)
    );
    assert_eq!(
        (p.report.merged, p.report.new_customers, p.report.new_assets),
        (1, 0, 1)
    );
    run(&mut f, &p);
    let c = Known::new(&f.records).customer(there).unwrap();
    assert_eq!(c.phones.len(), 2, "the number it lacked is added");
    assert_eq!(Known::new(&f.records).assets_of(there).len(), 1);
    assert_eq!(f.records.customers().count(), 1);

    setup.on_duplicate = OnDuplicate::Skip;
    let s2 = sheet(&["Name", "Phone"], &[&["Someone", "13912345678"]]);
    setup.mapping = columns::guess(&s2.headers, &s2.rows);
    let p = plan(&f, &s2, &setup);
    assert_eq!((p.report.skipped_duplicates, p.groups.len()), (1, 0));
    setup.on_duplicate = OnDuplicate::Create;
    let p = plan(&f, &s2, &setup);
    assert_eq!((p.report.new_customers, p.groups.len()), (1, 1));
}

#[test]
fn a_store_manager_imports_only_into_their_own_stores() {
    let f = Fixture::new(chrono_tz::Asia::Shanghai);
    let s = sheet(&["Name"], &[&["王芳"]]);
    let mut setup = setup(&f, &s);
    setup.store = StoreId::from_parts(1, 1);
    let known = Known::new(&f.records);
    let mut c = ctx(&f);
    c.actor = f.manager;
    let p = check(&s, &setup, &c, &known).unwrap();
    assert_eq!(p.report.rows_ok, 0);
    assert!(matches!(
        p.report.problems[0].problem,
        Problem::Refused(OpError::Forbidden(_) | OpError::NotFound { .. })
    ));
}

#[test]
fn mappings_that_cannot_work_are_refused_before_any_row_is_read() {
    let f = Fixture::new(chrono_tz::Asia::Shanghai);
    let s = sheet(&["Phone"], &[&["13900001111"]]);
    let setup = setup(&f, &s);
    let known = Known::new(&f.records);
    assert_eq!(
        check(&s, &setup, &ctx(&f), &known),
        Err(MappingError::NoName)
    );
}
