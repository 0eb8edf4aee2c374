//! Behaviour of the whole index: what a user types and whom it finds, in which order.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::customers::{Asset, Customer, CustomerKind, Phone, Tier};
use crate::ids::{AssetId, CustomerId, InteractionId, JobId, LeadId, OrgId, StoreId, UserId};
use crate::jobs::{Job, JobStatus, Priority, ServiceType};
use crate::leads::{Interaction, InteractionKind, Interest, Lead, LeadSource, Stage};
use crate::ops::{MemoryRecords, Record, RecordKey};

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day.clamp(1, 28), 9, 0, 0)
        .unwrap()
}

fn cid(n: u64) -> CustomerId {
    CustomerId::from_parts(1_700_000_000_000 + n, u128::from(n) * 7919 + 13)
}

fn customer(n: u64, name: &str, phones: &[&str], street: (&str, &str, &str)) -> Customer {
    Customer {
        id: cid(n),
        org: OrgId::from_parts(1, 1),
        store: StoreId::from_parts(1, 1),
        name: name.to_owned(),
        phones: phones.iter().map(|p| Phone::parse(p)).collect(),
        address: Address {
            province: "上海市".into(),
            city: "上海市".into(),
            district: street.0.into(),
            street: street.1.into(),
            detail: street.2.into(),
            location: None,
            approximate: false,
        },
        kind: CustomerKind::Individual,
        tags: Vec::new(),
        tier: Tier::Standard,
        marketing_consent: false,
        birthday: None,
        owner: None,
        created_at: at(1),
        merged_into: None,
        previous_owners: Vec::new(),
        edits: Vec::new(),
        erased: None,
    }
}

fn lead(n: u64, customer: Option<CustomerId>, name: &str, phone: Option<&str>) -> Lead {
    Lead {
        id: LeadId::from_parts(n, u128::from(n)),
        org: OrgId::from_parts(1, 1),
        store: StoreId::from_parts(1, 1),
        customer,
        name: name.into(),
        phone: phone.map(Phone::parse),
        source: LeadSource::WalkIn,
        interest: Interest::default(),
        stage: Stage::New,
        owner: UserId::from_parts(1, 1),
        expected_value: 0,
        next_follow_up_at: None,
        lost_reason: None,
        won_value: None,
        created_at: at(1),
        stage_changed_at: at(1),
        history: Vec::new(),
    }
}

fn interaction(n: u64, customer: CustomerId, day: u32) -> Interaction {
    Interaction {
        id: InteractionId::from_parts(n, u128::from(n)),
        org: OrgId::from_parts(1, 1),
        kind: InteractionKind::Call,
        outcome: String::new(),
        at: at(day),
        author: UserId::from_parts(1, 1),
        customer: Some(customer),
        lead: None,
        job: None,
    }
}

fn ctx() -> SearchContext {
    SearchContext {
        now: at(20),
        location: None,
    }
}

fn sample() -> Vec<Customer> {
    vec![
        customer(
            1,
            "张三",
            &["138 1234 5678"],
            ("徐汇区", "淮海中路", "128弄3号1201室"),
        ),
        customer(
            2,
            "Olivia Chen",
            &["+1 (415) 555-0100"],
            ("Jing'an", "Nanjing West Road", "1266 Plaza 66"),
        ),
        customer(
            3,
            "张晓明",
            &["021-6234 5678"],
            ("浦东新区", "世纪大道", "88号"),
        ),
        customer(
            4,
            "李Tony",
            &["13900001111"],
            ("静安区", "南京西路", "1000号"),
        ),
        customer(
            5,
            "Chen Cheng",
            &["13700002222"],
            ("长宁区", "中山西路", "1号"),
        ),
        customer(
            6,
            "Christopher Chan",
            &["13600003333"],
            ("黄浦区", "人民大道", "200号"),
        ),
        customer(7, "曾伟", &["13500004444"], ("闵行区", "七莘路", "9号")),
    ]
}

fn index() -> Index {
    Index::from_customers(&sample())
}

fn top(ix: &Index, q: &str) -> Vec<CustomerId> {
    ix.search(q, &ctx(), 10)
        .into_iter()
        .map(|h| h.customer)
        .collect()
}

fn first(ix: &Index, q: &str) -> Option<CustomerId> {
    top(ix, q).first().copied()
}

#[test]
fn chinese_names_by_characters_pinyin_and_initials() {
    let ix = index();
    for q in [
        "张三",
        "zhangsan",
        "zhang san",
        "san zhang",
        "zs",
        "ZhangSan",
        "张 san",
        "zhangs",
    ] {
        assert_eq!(first(&ix, q), Some(cid(1)), "{q}");
    }
    for q in ["晓明", "xiaoming", "xm", "zxm", "zhang xiao", "张晓"] {
        assert_eq!(first(&ix, q), Some(cid(3)), "{q}");
    }
    // Heteronym surname: 曾 is zeng as a surname, ceng elsewhere; both find it.
    assert_eq!(first(&ix, "zengwei"), Some(cid(7)));
    assert_eq!(first(&ix, "cengwei"), Some(cid(7)));
    // Mixed Latin and Chinese.
    assert_eq!(first(&ix, "李 tony"), Some(cid(4)));
    assert_eq!(first(&ix, "li tony"), Some(cid(4)));
}

#[test]
fn latin_names_by_prefix_typo_and_any_order() {
    let ix = index();
    for q in [
        "olivia chen",
        "chen olivia",
        "oliv",
        "oli ch",
        "olvia",
        "Olivai chen",
        "OLIVIA",
    ] {
        assert_eq!(first(&ix, q), Some(cid(2)), "{q}");
    }
    // Two slips in a long word.
    assert_eq!(first(&ix, "christohpre"), Some(cid(6)));
    // "chan" is a known word, so it is not also read as a slip for "chen"; "chon" is not.
    assert_eq!(top(&ix, "chan"), vec![cid(6)]);
    let chon = top(&ix, "chon");
    assert!(chon.contains(&cid(6)) && chon.contains(&cid(2)), "{chon:?}");
    // Three letters get no typo.
    assert!(top(&ix, "cha").iter().all(|c| *c == cid(6)));
}

#[test]
fn exact_before_prefix_before_typo() {
    let ix = Index::from_customers(&[
        customer(1, "Chan Li", &[], ("", "", "")),
        customer(2, "Chenoweth Li", &[], ("", "", "")),
        customer(3, "Chen Li", &[], ("", "", "")),
        customer(4, "Chenx Wu", &[], ("", "", "")),
    ]);
    // "chen": exact (3), then prefix (2, 4); "chan" (1) is a word of its own.
    assert_eq!(top(&ix, "chen"), vec![cid(3), cid(2), cid(4)]);
    let hits = ix.search("chen li", &ctx(), 10);
    assert_eq!(hits[0].customer, cid(3));
    assert!(
        hits[0].score >= 4000.0,
        "whole name is its own tier: {}",
        hits[0].score
    );
    assert_eq!(hits[1].customer, cid(2));
    let typo = top(&ix, "chenq");
    assert!(typo.contains(&cid(3)) && typo.contains(&cid(4)), "{typo:?}");
    assert!(!typo.contains(&cid(1)), "{typo:?}");
}

#[test]
fn phones_by_any_fragment_however_typed() {
    let ix = index();
    for q in [
        "5678",
        "1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "0086 13812345678",
        "12345",
        "81234",
    ] {
        assert!(top(&ix, q).contains(&cid(1)), "{q}");
    }
    for q in ["021-6234 5678", "62345678", "2162345"] {
        assert!(top(&ix, q).contains(&cid(3)), "{q}");
    }
    assert_eq!(first(&ix, "(415) 555-0100"), Some(cid(2)));
    assert!(top(&ix, "99999").is_empty());
    let hit = &ix.search("1234 5678", &ctx(), 10)[0];
    assert_eq!(hit.customer, cid(1));
    assert_eq!(
        hit.matched,
        vec![FieldMatch {
            field: MatchedField::Phone { index: 0 },
            ranges: std::iter::once(4..13).collect()
        }]
    );
}

#[test]
fn addresses_by_district_street_and_building() {
    let ix = index();
    assert_eq!(first(&ix, "淮海中路 128"), Some(cid(1)));
    assert_eq!(first(&ix, "徐汇 淮海"), Some(cid(1)));
    assert_eq!(first(&ix, "中路 1201"), Some(cid(1)));
    assert_eq!(first(&ix, "nanjing west 1266"), Some(cid(2)));
    assert_eq!(first(&ix, "世纪大道"), Some(cid(3)));
    let hit = &ix.search("淮海", &ctx(), 10)[0];
    let text = address_text(&sample()[0].address);
    let m = &hit.matched[0];
    assert_eq!(m.field, MatchedField::Address);
    assert_eq!(&text[m.ranges[0].clone()], "淮海");
}

#[test]
fn highlights_name_matches_from_pinyin() {
    let ix = index();
    let hit = &ix.search("xiaom", &ctx(), 1)[0];
    assert_eq!(hit.customer, cid(3));
    let name = "张晓明";
    assert_eq!(hit.matched[0].field, MatchedField::Name);
    assert_eq!(&name[hit.matched[0].ranges[0].clone()], "晓明");
    let hit = &ix.search("oliv ch", &ctx(), 1)[0];
    let name = "Olivia Chen";
    let r: Vec<&str> = hit.matched[0]
        .ranges
        .iter()
        .map(|r| &name[r.clone()])
        .collect();
    assert_eq!(r, ["Oliv", "Ch"]);
}

#[test]
fn identifiers_customer_job_and_serial_numbers() {
    let customers = sample();
    let mut records: Vec<Record> = customers.iter().cloned().map(Record::Customer).collect();
    let asset = Asset {
        id: AssetId::from_parts(9, 9),
        org: OrgId::from_parts(1, 1),
        customer: cid(2),
        product: "U1 upright".into(),
        category: "piano".into(),
        serial_number: "YU1-44871a".into(),
        purchase_date: at(1).date_naive(),
        price: 0,
        warranty_end: None,
        last_service: None,
        maintenance_interval_days: None,
    };
    let job = job(JobId::from_parts(10, 77), cid(3));
    records.push(Record::Asset(asset.clone()));
    records.push(Record::Job(job.clone()));
    let ix = Index::build(&records);
    let number = customers[3].number();
    let hits = ix.search(&number.to_lowercase(), &ctx(), 10);
    assert_eq!(hits[0].customer, cid(4));
    assert_eq!(hits[0].matched[0].field, MatchedField::CustomerNumber);
    let hits = ix.search("yu1 44871A", &ctx(), 10);
    assert_eq!(hits[0].customer, cid(2));
    assert_eq!(
        hits[0].matched[0].field,
        MatchedField::SerialNumber { asset: asset.id }
    );
    let hits = ix.search(&job.number(), &ctx(), 10);
    assert_eq!(hits[0].customer, cid(3));
    assert_eq!(
        hits[0].matched[0].field,
        MatchedField::JobNumber { job: job.id }
    );
}

fn job(id: JobId, customer: CustomerId) -> Job {
    Job {
        id,
        org: OrgId::from_parts(1, 1),
        store: StoreId::from_parts(1, 1),
        customer,
        asset: None,
        service_address: Address::default(),
        service_type: ServiceType::Tuning,
        description: String::new(),
        required_skills: Vec::new(),
        estimated_minutes: 60,
        priority: Priority::Normal,
        windows: Vec::new(),
        sla_deadline: at(2),
        technician: None,
        planned_start: None,
        status: JobStatus::New,
        follow_up: None,
        cancel_reason: None,
        completion: None,
        history: Vec::new(),
        created_at: at(1),
        created_by: UserId::from_parts(1, 1),
        crew: Vec::new(),
        crew_size: 1,
    }
}

#[test]
fn leads_find_their_customer_and_say_so() {
    let mut ix = index();
    let l = lead(1, Some(cid(5)), "陈先生", Some("186 0000 9999"));
    ix.upsert(&Record::Lead(l.clone()));
    let hits = ix.search("陈先生", &ctx(), 10);
    assert_eq!(hits[0].customer, cid(5));
    assert_eq!(hits[0].matched[0].field, MatchedField::Lead { lead: l.id });
    assert_eq!(first(&ix, "0000 9999"), Some(cid(5)));
    // Re-parented (as a merge does): found as the other customer, no longer as the first.
    ix.upsert(&Record::Lead(lead(1, Some(cid(1)), "陈先生", None)));
    assert_eq!(top(&ix, "陈先生"), vec![cid(1)]);
    assert!(top(&ix, "0000 9999").is_empty());
}

#[test]
fn recent_contact_and_distance_reorder_equal_matches() {
    let mut a = customer(1, "王芳", &[], ("", "", ""));
    let mut b = customer(2, "王芳", &[], ("", "", ""));
    a.address.location = Some(LatLng {
        lat: 31.23,
        lng: 121.47,
    });
    b.address.location = Some(LatLng {
        lat: 31.10,
        lng: 121.30,
    });
    let mut ix = Index::from_customers(&[a.clone(), b.clone()]);
    assert_eq!(top(&ix, "王芳"), vec![cid(1), cid(2)], "tie broken by id");
    ix.upsert(&Record::Interaction(interaction(1, cid(2), 19)));
    assert_eq!(
        top(&ix, "王芳"),
        vec![cid(2), cid(1)],
        "talked to yesterday"
    );
    let near_a = SearchContext {
        now: at(20),
        location: Some(LatLng {
            lat: 31.231,
            lng: 121.471,
        }),
    };
    // Near wins over a contact yesterday when the other is 25 km away.
    let hits = ix.search("王芳", &near_a, 10);
    assert_eq!(hits[0].customer, cid(1));
    // But never over a better match class.
    let c = customer(3, "王芳芳", &[], ("", "", ""));
    ix.upsert(&Record::Customer(c));
    let hits = ix.search("王芳", &near_a, 10);
    assert_eq!(hits.last().map(|h| h.customer), Some(cid(3)));
}

#[test]
fn merged_customers_are_not_found_but_their_number_leads_to_the_kept_one() {
    let mut ix = index();
    let mut gone = sample()[0].clone();
    gone.merged_into = Some(cid(3));
    ix.upsert(&Record::Customer(gone.clone()));
    assert!(!top(&ix, "张三").contains(&cid(1)));
    assert_eq!(first(&ix, &gone.number()), Some(cid(3)));
    assert_eq!(ix.len(), sample().len() - 1);
    ix.remove(RecordKey::Customer(cid(2)));
    assert!(top(&ix, "olivia").is_empty());
}

#[test]
fn odd_queries_find_nothing_and_do_not_panic() {
    let ix = index();
    for q in [
        "",
        " ",
        "-",
        "\u{0}",
        "🙂",
        "a",
        "的",
        "00",
        "+",
        "C-",
        "J-0000000000",
    ] {
        let _ = ix.search(q, &ctx(), 10);
    }
    assert!(ix.search("zhangsan", &ctx(), 0).is_empty());
    assert!(Index::new().search("zhang", &ctx(), 10).is_empty());
}

// ---- properties ----

const SURNAMES: &[&str] = &["张", "王", "李", "曾", "欧阳", "陈"];
const GIVEN: &[&str] = &["伟", "芳", "晓明", "秀英", "强", "丽"];
const LATIN: &[&str] = &["Olivia", "Chen", "James", "Li", "Wang", "Smith", "Ana"];
const STREETS: &[&str] = &["淮海中路", "南京西路", "Nanjing West Road", "世纪大道", ""];

fn name_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..SURNAMES.len(), 0..GIVEN.len())
            .prop_map(|(s, g)| format!("{}{}", SURNAMES[s], GIVEN[g])),
        (0..LATIN.len(), 0..LATIN.len()).prop_map(|(a, b)| format!("{} {}", LATIN[a], LATIN[b])),
        (0..SURNAMES.len(), 0..LATIN.len())
            .prop_map(|(s, l)| format!("{}{}", SURNAMES[s], LATIN[l])),
        "[a-zA-Z]{1,9}( [a-zA-Z]{1,9}){0,2}",
    ]
}

fn phone_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "1[3-9][0-9]{9}".prop_map(|d| format!("{} {} {}", &d[..3], &d[3..7], &d[7..])),
        "[2-9][0-9]{7}".prop_map(|d| format!("021-{d}")),
        "[2-9][0-9]{9}".prop_map(|d| format!("+1 ({}) {}-{}", &d[..3], &d[3..6], &d[6..])),
    ]
}

fn customer_strategy(n: u64) -> impl Strategy<Value = Customer> {
    (
        name_strategy(),
        proptest::collection::vec(phone_strategy(), 0..3),
        0..STREETS.len(),
        "[0-9]{1,4}",
    )
        .prop_map(move |(name, phones, street, no)| {
            let phones: Vec<&str> = phones.iter().map(String::as_str).collect();
            customer(
                n,
                &name,
                &phones,
                ("徐汇区", STREETS[street], &format!("{no}号")),
            )
        })
}

fn many_customers() -> impl Strategy<Value = Vec<Customer>> {
    proptest::collection::vec(any::<u8>(), 1..24).prop_flat_map(|v| {
        v.iter()
            .enumerate()
            .map(|(i, _)| customer_strategy(i as u64))
            .collect::<Vec<_>>()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_customer_is_always_found_by_exact_phone_and_exact_name(
        customers in many_customers(),
        pick in any::<prop::sample::Index>(),
    ) {
        let ix = Index::from_customers(&customers);
        let c = &customers[pick.index(customers.len())];
        let all = customers.len();
        let by_name = ix.search(&c.name, &ctx(), all);
        let hit = by_name.iter().find(|h| h.customer == c.id);
        prop_assert!(hit.is_some(), "{} not found by name", c.name);
        // In the top tier: nobody with another name ranks above it.
        let best = by_name[0].score;
        prop_assert!(hit.unwrap().score >= best - 1000.0 || by_name[0].score < 4000.0);
        for p in &c.phones {
            let hits = ix.search(&p.raw, &ctx(), all);
            prop_assert!(hits.iter().any(|h| h.customer == c.id), "{} not found by {}", c.name, p.raw);
            prop_assert!(hits[0].score >= 3000.0);
        }
    }

    #[test]
    fn any_query_is_answered_without_panicking(q in "\\PC{0,40}", digits in "[0-9 +()-]{0,24}") {
        let ix = index();
        let _ = ix.search(&q, &ctx(), 5);
        let _ = ix.search(&digits, &ctx(), 5);
        let _ = ix.search(&format!("{q}{digits}"), &ctx(), 5);
    }
}

#[derive(Clone, Debug)]
enum Change {
    Customer(Box<Customer>),
    RemoveCustomer(u64),
    Lead(u64, Option<u64>, String, Option<String>),
    RemoveLead(u64),
    Interaction(u64, u64, u32),
    Merge(u64, u64),
    /// The same customer again with a tag added: nothing searchable changes.
    Tag(u64),
    /// The same customer with the name's letters in reverse order: same length, other text.
    Reverse(u64),
}

fn change_strategy() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (0u64..8).prop_flat_map(customer_strategy).prop_map(|c| Change::Customer(Box::new(c))),
        1 => (0u64..8).prop_map(Change::RemoveCustomer),
        2 => (0u64..4, proptest::option::of(0u64..8), name_strategy(), proptest::option::of(phone_strategy()))
            .prop_map(|(l, c, n, p)| Change::Lead(l, c, n, p)),
        1 => (0u64..4).prop_map(Change::RemoveLead),
        2 => (0u64..6, 0u64..8, 1u32..28).prop_map(|(i, c, d)| Change::Interaction(i, c, d)),
        1 => (0u64..8, 0u64..8).prop_map(|(a, b)| Change::Merge(a, b)),
        2 => (0u64..8).prop_map(Change::Tag),
        2 => (0u64..8).prop_map(Change::Reverse),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn incremental_updates_answer_like_a_fresh_build(changes in proptest::collection::vec(change_strategy(), 1..40)) {
        let mut ix = Index::new();
        let mut records: std::collections::BTreeMap<RecordKey, Record> = Default::default();
        let put = |ix: &mut Index, r: Record, records: &mut std::collections::BTreeMap<RecordKey, Record>| {
            ix.upsert(&r);
            records.insert(r.key(), r);
        };
        for ch in changes {
            match ch {
                Change::Customer(c) => put(&mut ix, Record::Customer(*c), &mut records),
                Change::RemoveCustomer(n) => {
                    ix.remove(RecordKey::Customer(cid(n)));
                    records.remove(&RecordKey::Customer(cid(n)));
                }
                Change::Lead(l, c, name, phone) => {
                    let r = Record::Lead(lead(l, c.map(cid), &name, phone.as_deref()));
                    put(&mut ix, r, &mut records);
                }
                Change::RemoveLead(l) => {
                    let key = RecordKey::Lead(LeadId::from_parts(l, u128::from(l)));
                    ix.remove(key);
                    records.remove(&key);
                }
                Change::Interaction(i, c, day) => {
                    // An interaction is written once (ops never move or delete one on its own).
                    let key = RecordKey::Interaction(InteractionId::from_parts(i, u128::from(i)));
                    if !records.contains_key(&key) {
                        put(&mut ix, Record::Interaction(interaction(i, cid(c), day)), &mut records);
                    }
                }
                Change::Merge(keep, remove) => {
                    if let Some(Record::Customer(c)) = records.get(&RecordKey::Customer(cid(remove))).cloned()
                        && keep != remove
                    {
                        let mut c = c;
                        c.merged_into = Some(cid(keep));
                        put(&mut ix, Record::Customer(c), &mut records);
                    }
                }
                Change::Reverse(n) => {
                    if let Some(Record::Customer(mut c)) = records.get(&RecordKey::Customer(cid(n))).cloned() {
                        c.name = c.name.chars().rev().collect();
                        put(&mut ix, Record::Customer(c), &mut records);
                    }
                }
                Change::Tag(n) => {
                    if let Some(Record::Customer(mut c)) = records.get(&RecordKey::Customer(cid(n))).cloned() {
                        c.tags.push("vip".into());
                        let mut m = MemoryRecords::new();
                        m.insert(Record::Customer(c.clone()));
                        let moved = ix.refresh(&m, &[RecordKey::Customer(c.id)]);
                        // Only an edit of what is searched re-checks duplicates; a customer
                        // merged away is re-checked whatever changed.
                        prop_assert_eq!(moved.is_empty(), c.merged_into.is_none(), "{:?}", c.id);
                        records.insert(RecordKey::Customer(c.id), Record::Customer(c));
                    }
                }
            }
        }
        let fresh = Index::build(records.values());
        prop_assert_eq!(ix.len(), fresh.len());
        let mut queries: Vec<String> = records.values().filter_map(|r| match r {
            Record::Customer(c) => Some(c.name.clone()),
            Record::Lead(l) => Some(l.name.clone()),
            _ => None,
        }).collect();
        queries.extend(["zh", "w", "chen", "olivia", "淮海", "1", "138", "5678", "021", "徐汇 南京", "x"].map(String::from));
        for r in records.values() {
            if let Record::Customer(c) = r {
                queries.extend(c.phones.iter().map(|p| p.raw.clone()));
                queries.push(c.number());
            }
        }
        for q in &queries {
            prop_assert_eq!(ix.search(q, &ctx(), 50), fresh.search(q, &ctx(), 50), "query {}", q);
        }
    }
}

/// Issue 10: a device holds other reps' customers masked; their numbers are no way in, not
/// even through the digits either side of the mask, while the real number still matches.
#[test]
fn a_masked_number_is_not_searched() {
    let masked = customer(1, "王芳", &["138****5678"], ("静安区", "南京西路", "***"));
    let real = customer(2, "李娜", &["13812345678"], ("静安区", "南京西路", "8号"));
    let records = [Record::Customer(masked), Record::Customer(real)];
    let index = Index::build(records.iter());
    let ctx = SearchContext {
        now: at(1),
        location: None,
    };
    for q in ["5678", "1385678", "8567"] {
        let hits = index.search(q, &ctx, 10);
        assert!(hits.iter().all(|h| h.customer != cid(1)), "{q}: {hits:?}");
    }
    assert!(
        index
            .search("5678", &ctx, 10)
            .iter()
            .any(|h| h.customer == cid(2))
    );
    assert!(
        index
            .search("王芳", &ctx, 10)
            .iter()
            .any(|h| h.customer == cid(1))
    );
}

/// Customers typed in traditional characters (Hong Kong, Taiwan, older spreadsheets) are the
/// same people to a user typing simplified, and the other way round.
#[test]
fn traditional_and_simplified_characters_find_each_other() {
    let ix = Index::from_customers(&[
        customer(1, "張偉", &["13800001111"], ("灣仔區", "軒尼詩道", "1號")),
        customer(2, "张伟", &["13800002222"], ("黄浦区", "人民大道", "2号")),
        customer(3, "王芳", &["13800003333"], ("黄浦区", "人民大道", "3号")),
    ]);
    for q in ["张伟", "張偉", "张偉", "zhangwei", "zhang wei"] {
        let found = top(&ix, q);
        assert_eq!(found.len(), 2, "{q}: {found:?}");
        assert!(found.contains(&cid(1)) && found.contains(&cid(2)), "{q}");
    }
    // An address in traditional characters is found by its simplified words.
    assert_eq!(first(&ix, "湾仔"), Some(cid(1)));
    assert_eq!(first(&ix, "人民"), Some(cid(2)));
    // The highlight points at the characters as they were typed.
    let hit = &ix.search("张", &ctx(), 10)[0];
    let name = if hit.customer == cid(1) {
        "張偉"
    } else {
        "张伟"
    };
    let range = hit.matched[0].ranges[0].clone();
    assert!(name.get(range.clone()).is_some(), "{range:?} in {name}");
}

/// In a crowd of similar names, "zhang wei" (as people type it with spaces) finds the same
/// people in the same order as "zhangwei".
#[test]
fn spaced_pinyin_finds_as_joined_pinyin_does() {
    let ix = Index::from_customers(&[
        customer(1, "张伟", &["13800001111"], ("黄浦区", "人民大道", "1号")),
        customer(2, "张卫东", &["13800002222"], ("黄浦区", "人民大道", "2号")),
        customer(3, "王伟", &["13800003333"], ("黄浦区", "人民大道", "3号")),
        customer(4, "魏张", &["13800004444"], ("黄浦区", "人民大道", "4号")),
        customer(5, "张薇", &["13800005555"], ("黄浦区", "人民大道", "5号")),
        customer(
            6,
            "Wei Zhang",
            &["13800006666"],
            ("黄浦区", "人民大道", "6号"),
        ),
        customer(7, "章伟", &["13800007777"], ("黄浦区", "人民大道", "7号")),
    ]);
    let joined = top(&ix, "zhangwei");
    assert_eq!(joined.first(), Some(&cid(1)), "{joined:?}");
    for q in ["zhang wei", "Zhang Wei", "zhang  wei", "ZHANG WEI"] {
        let spaced = top(&ix, q);
        assert_eq!(&spaced[..3], &joined[..3], "{q}: {spaced:?} vs {joined:?}");
    }
}
