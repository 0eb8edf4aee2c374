//! How long 100,000 customer rows take to come over from a CSV export, end to end on loopback
//! against a real sled store holding the demo organization (5,000 customers): the file given
//! (read, kept, previewed), the dry run, and the run in the background until its status says
//! done; then the same file run again, which must create nothing.
//!
//! `cargo bench -p server --bench import`; `ROUNDS_BENCH_ROWS` (100000) sets the size. The
//! last line reads `import-bench: rows=N seconds=N` (goal: at most 60 on this machine), the
//! seconds from the first byte sent to the import done.
#![expect(clippy::print_stdout, reason = "a bench reports its numbers on stdout")]

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use demo::{DemoSize, generate_at};
use domain::ops::{Record, RecordKind};
use serde_json::{Value, json};
use server::auth::PasswordCost;
use server::http::ApiConfig;
use server::run;
use server::store::{SledStore, Store};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "华", "慧", "建国", "晓东", "文", "婷",
];
const DISTRICTS: &[&str] = &[
    "徐汇区",
    "浦东新区",
    "静安区",
    "黄浦区",
    "长宁区",
    "闵行区",
    "杨浦区",
];
const STREETS: &[&str] = &[
    "漕溪北路",
    "世纪大道",
    "南京西路",
    "人民大道",
    "中山西路",
    "七莘路",
];

/// A till's customer export: one row a customer, a tenth of them with a purchase, and the
/// first `existing.len()` rows the phones of customers already in Rounds.
fn export(rows: usize, existing: &[String]) -> String {
    let mut s = String::from("会员编号,姓名,手机,地址,会员等级,生日,商品,购买日期,金额\n");
    for i in 0..rows {
        let name = format!(
            "{}{}{}",
            SURNAMES[i % SURNAMES.len()],
            GIVEN[(i / SURNAMES.len()) % GIVEN.len()],
            i / (SURNAMES.len() * GIVEN.len())
        );
        let phone = existing
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("13{:09}", 100_000_000 + i));
        let address = format!(
            "上海市{}{}{}号",
            DISTRICTS[i % DISTRICTS.len()],
            STREETS[(i / 7) % STREETS.len()],
            1 + i % 999
        );
        let tier = ["普通", "银卡", "金卡"][i % 3];
        let (product, date, price) = if i % 10 == 0 {
            ("立式钢琴", "2024-03-05", "28000")
        } else {
            ("", "", "")
        };
        let _ = writeln!(
            s,
            "M{i:07},{name},{phone},{address},{tier},1980-01-{:02},{product},{date},{price}",
            1 + i % 28
        );
    }
    s
}

fn main() {
    let rows: usize = std::env::var("ROUNDS_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bench(rows));
}

async fn bench(rows: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let sled = Arc::new(SledStore::open(&dir.path().join("db")).expect("store"));
    let store: Arc<dyn Store> = sled.clone();
    let demo = generate_at(5, Utc::now(), &DemoSize::default());
    let org = demo
        .records
        .iter()
        .find_map(|r| match r {
            Record::Org(o) => Some(o.id),
            _ => None,
        })
        .expect("org");
    let existing: Vec<String> = demo
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Customer(c) => c.phones.first().map(|p| p.raw.clone()),
            _ => None,
        })
        .take(rows / 100)
        .collect();
    let cheap = PasswordCost {
        memory_kib: 64,
        passes: 1,
    };
    run::seed_demo(&store, demo, cheap).await.expect("demo");
    let before = count(store.as_ref(), org);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running = run::start(
        listener,
        store.clone(),
        ApiConfig {
            password_cost: cheap,
            request_timeout: Duration::from_secs(300),
            import_dir: Some(dir.path().join("imports")),
            ..ApiConfig::default()
        },
        std::future::pending(),
    )
    .expect("server");
    let base = format!("http://{}", running.addr);
    let http = reqwest::Client::new();
    let token = sign_in(&http, &base).await;
    let admin_store = store_of_admin(store.as_ref(), org);
    let file = export(rows, &existing);
    println!(
        "{rows} rows, {:.1} MB of CSV, {} customers already in Rounds ({} of them in the file)",
        file.len() as f64 / 1e6,
        before,
        existing.len()
    );

    let t0 = Instant::now();
    let preview: Value = http
        .post(format!("{base}/v1/imports?name=export.csv"))
        .bearer_auth(&token)
        .body(file.clone())
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("preview");
    let given = t0.elapsed();
    let id = preview["id"].as_str().expect("id").to_owned();
    let setup = json!({
        "mapping": preview["mapping"],
        "store": admin_store,
        "on_duplicate": "Merge",
    });
    let t1 = Instant::now();
    let report: Value = post(
        &http,
        &base,
        &token,
        &format!("/v1/imports/{id}/check"),
        &setup,
    )
    .await;
    let checked = t1.elapsed();
    assert_eq!(report["problems"], json!([]), "the bench file is clean");
    let t2 = Instant::now();
    let done = run_until_done(&http, &base, &token, &id, &setup).await;
    let ran = t2.elapsed();
    let total = t0.elapsed();
    let after = count(store.as_ref(), org);
    assert_eq!(
        done["new_customers"].as_u64(),
        Some((rows - existing.len()) as u64)
    );
    assert_eq!(
        after - before,
        rows - existing.len(),
        "one customer a new row"
    );

    let t3 = Instant::now();
    let again = run_until_done(&http, &base, &token, &id, &setup).await;
    let rerun = t3.elapsed();
    assert_eq!(again["new_customers"], 0, "{again}");
    assert_eq!(
        count(store.as_ref(), org),
        after,
        "the second run creates nothing"
    );

    println!("{:<34} {:>9}", "step", "seconds");
    for (step, d) in [
        ("file given (read, kept, preview)", given),
        ("dry run (every row checked)", checked),
        ("run until done", ran),
        ("the same file run again", rerun),
    ] {
        println!("{step:<34} {:>9.2}", d.as_secs_f64());
    }
    println!(
        "new customers {}, merged into existing {}, purchases {}",
        done["new_customers"], done["merged"], done["new_assets"]
    );
    println!(
        "import-bench: rows={rows} seconds={:.1}",
        total.as_secs_f64()
    );
    drop(running);
}

fn count(store: &dyn Store, org: domain::ids::OrgId) -> usize {
    let mut n = 0;
    let mut after = None;
    loop {
        let page = store
            .list(org, RecordKind::Customer, after, 50_000)
            .expect("list");
        n += page.records.len();
        match page.next {
            Some(next) => after = Some(next),
            None => return n,
        }
    }
}

fn store_of_admin(store: &dyn Store, org: domain::ids::OrgId) -> domain::ids::StoreId {
    let page = store
        .list(org, RecordKind::Store, None, 100)
        .expect("stores");
    page.records
        .iter()
        .find_map(|r| match r {
            Record::Store(s) => Some(s.id),
            _ => None,
        })
        .expect("a store")
}

async fn sign_in(http: &reqwest::Client, base: &str) -> String {
    let v: Value = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({"login": "admin", "password": "rounds-demo"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("login answer");
    v["access_token"].as_str().expect("token").to_owned()
}

async fn post(http: &reqwest::Client, base: &str, token: &str, path: &str, body: &Value) -> Value {
    let res = http
        .post(format!("{base}{path}"))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("request");
    assert!(res.status().is_success(), "{path}: {}", res.status());
    res.json().await.expect("json")
}

/// Starts the import and waits for it; its report.
async fn run_until_done(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    id: &str,
    setup: &Value,
) -> Value {
    post(http, base, token, &format!("/v1/imports/{id}/run"), setup).await;
    wait(http, base, token, id).await
}

/// Polls the import until it is done; its report.
async fn wait(http: &reqwest::Client, base: &str, token: &str, id: &str) -> Value {
    loop {
        let v: Value = http
            .get(format!("{base}/v1/imports/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("status")
            .json()
            .await
            .expect("status json");
        if let Some(report) = v["status"].get("Done") {
            return report.clone();
        }
        assert!(v["status"].get("Failed").is_none(), "{v}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
