//! `/v1/imports` over loopback on a real sled store: a GBK till export checked, refused while
//! it has problems, run, found by search in either script, and run again without a second
//! customer; and each kind of bad input refused with a problem that says why, typed.

use std::time::Duration;

use domain::import::{OnDuplicate, Setup, Target};
use domain::org::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::http::ApiConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::{Demo, Env, start};

async fn env_with_imports() -> (Env, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let env = start(
        Some(Demo::default()),
        ApiConfig {
            import_dir: Some(dir.path().join("imports")),
            ..ApiConfig::default()
        },
    )
    .await;
    (env, dir)
}

async fn upload(env: &Env, token: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let res = env
        .http
        .post(format!("{}/v1/imports?name={name}", env.base))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = res.status();
    if !status.is_success() {
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
    (status, res.json().await.unwrap())
}

/// `POST /v1/imports/{id}/{what}` (`check` or `run`) with a setup.
async fn step(env: &Env, token: &str, id: &str, what: &str, setup: Value) -> (StatusCode, Value) {
    env.post(Some(token), &format!("/v1/imports/{id}/{what}"), setup)
        .await
}

/// Waits until the import is no longer running; its status.
async fn finished(env: &Env, token: &str, id: &str) -> Value {
    for _ in 0..600 {
        let (s, v) = env.get(Some(token), &format!("/v1/imports/{id}")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        if v["status"].get("Running").is_none() && v["status"] != "Ready" {
            return v["status"].clone();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the import did not finish");
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

fn customers_named(env: &Env, name: &str) -> usize {
    use server::store::Store;
    let org = env.user("admin").org;
    let mut n = 0;
    let mut after = None;
    loop {
        let page = env
            .store
            .list(org, domain::ops::RecordKind::Customer, after, 10_000)
            .unwrap();
        n += page
            .records
            .iter()
            .filter(|r| matches!(r, domain::ops::Record::Customer(c) if c.name == name))
            .count();
        match page.next {
            Some(next) => after = Some(next),
            None => return n,
        }
    }
}

#[tokio::test]
async fn a_gbk_till_export_is_checked_run_found_and_run_again_without_a_second_customer() {
    let (env, _dir) = env_with_imports().await;
    let admin = env.token("admin").await;
    let store = env.user("admin").stores[0];
    let mut file = String::from("会员编号,姓名,手机,地址,商品,购买日期,金额\r\n");
    file += "M1,張偉,13811112222,上海市徐汇区漕溪北路88号,立式钢琴,2024-03-05,28000\r\n";
    file += "M1,張偉,13811112222,上海市徐汇区漕溪北路88号,琴凳,2024-03-05,800\r\n";
    for i in 0..20 {
        file += &format!("N{i},导入客户{i},1390000{i:04},上海市浦东新区世纪大道{i}号,,,\r\n");
    }
    file += "B1,坏行,12345,上海市浦东新区世纪大道1号,,,\r\n";
    let (s, preview) = upload(&env, &admin, "till.csv", gbk(&file)).await;
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert_eq!(preview["encoding"], "Gb18030");
    assert_eq!(preview["rows"], 23);
    assert_eq!(preview["sample"][0][1], "張偉");
    let id = preview["id"].as_str().unwrap().to_owned();
    let mapping: Vec<Option<Target>> = serde_json::from_value(preview["mapping"].clone()).unwrap();
    assert_eq!(mapping[1], Some(Target::Name));
    assert_eq!(mapping[6], Some(Target::Price));
    let mut setup = Setup {
        mapping,
        store,
        on_duplicate: OnDuplicate::Merge,
        skip_problem_rows: false,
    };

    let (s, report) = step(&env, &admin, &id, "check", json!(setup)).await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(
        (
            &report["rows_ok"],
            &report["new_customers"],
            &report["new_assets"]
        ),
        (&json!(22), &json!(21), &json!(2))
    );
    assert_eq!(
        report["problems"],
        json!([{"row": 24, "column": 2, "problem": {"NotAPhone": "12345"}}])
    );
    // Nothing was written by the check.
    assert_eq!(customers_named(&env, "張偉"), 0);

    // With a problem left, the run is refused and the report comes back with the refusal.
    let (s, refused) = step(&env, &admin, &id, "run", json!(setup)).await;
    assert_eq!(s, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["report"]["problems"][0]["row"], 24);
    assert_eq!(customers_named(&env, "張偉"), 0);

    setup.skip_problem_rows = true;
    let (s, v) = step(&env, &admin, &id, "run", json!(setup)).await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let done = finished(&env, &admin, &id).await;
    assert_eq!(done["Done"]["new_customers"], 21, "{done}");
    assert_eq!(customers_named(&env, "張偉"), 1);
    assert_eq!(customers_named(&env, "导入客户7"), 1);

    // Found by its simplified name, and by spaced pinyin.
    for q in ["张伟", "zhang wei"] {
        let (s, hits) = env
            .get(
                Some(&admin),
                &format!("/v1/search/customers?q={}", urlencode(q)),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let names: Vec<&str> = hits["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|h| h["customer"]["name"].as_str())
            .collect();
        assert!(names.contains(&"張偉"), "{q}: {names:?}");
    }

    // Placed at their district's centre, their jobs can be suggested at once.
    let zhang = {
        use server::store::Store;
        let org = env.user("admin").org;
        env.store
            .list(org, domain::ops::RecordKind::Customer, None, 100_000)
            .unwrap()
            .records
            .into_iter()
            .find_map(|r| match r {
                domain::ops::Record::Customer(c) if c.name == "張偉" => Some(c),
                _ => None,
            })
            .unwrap()
    };
    assert!(zhang.address.approximate && zhang.address.location.is_some());
    let tz = chrono_tz::Asia::Shanghai;
    let date = (chrono::Utc::now() + chrono::Duration::days(2))
        .with_timezone(&tz)
        .date_naive();
    let at = |h: u32| {
        use chrono::TimeZone;
        tz.from_local_datetime(&date.and_hms_opt(h, 0, 0).unwrap())
            .unwrap()
            .with_timezone(&chrono::Utc)
    };
    let job = domain::ids::JobId::new();
    let admin_user = env.user("admin");
    let made = env
        .sync(
            &admin,
            "import-test",
            0,
            &[crate::common::op(
                admin_user.id,
                domain::ops::OpKind::CreateJob(domain::ops::NewJob {
                    id: job,
                    customer: zhang.id,
                    asset: None,
                    service_address: None,
                    service_type: domain::jobs::ServiceType::Tuning,
                    description: "imported customer".into(),
                    required_skills: vec![],
                    estimated_minutes: 60,
                    priority: domain::jobs::Priority::Normal,
                    windows: vec![domain::jobs::TimeWindow {
                        start: at(9),
                        end: at(17),
                    }],
                    crew_size: 1,
                }),
            )],
        )
        .await;
    assert!(
        matches!(
            made.results[0].status,
            domain::sync::OpStatus::Applied { .. }
        ),
        "{:?}",
        made.results
    );
    let (s, v) = env
        .post(
            Some(&admin),
            "/v1/dispatch/suggest",
            json!({"job": job, "date": date}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(!v["candidates"].as_array().unwrap().is_empty(), "{v}");

    // The same file again is the same import; running it again makes nothing new.
    let (s, again) = upload(&env, &admin, "till (copy).csv", gbk(&file)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(again["id"], json!(id));
    assert!(again["status"].get("Done").is_some(), "{again}");
    let (s, report) = step(&env, &admin, &id, "check", json!(setup)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            &report["new_customers"],
            &report["new_assets"],
            &report["already_imported"]
        ),
        (&json!(0), &json!(0), &json!(21))
    );
    let (s, _) = step(&env, &admin, &id, "run", json!(setup)).await;
    assert_eq!(s, StatusCode::ACCEPTED);
    finished(&env, &admin, &id).await;
    assert_eq!(customers_named(&env, "張偉"), 1);
    assert_eq!(customers_named(&env, "导入客户7"), 1);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn bad_files_wrong_columns_and_the_wrong_people_are_refused_with_reasons() {
    let (env, _dir) = env_with_imports().await;
    let admin = env.token("admin").await;
    let admin_user = env.user("admin");
    let rep = env
        .logins
        .iter()
        .find(|l| l.roles == [Role::Sales])
        .unwrap()
        .login
        .clone();
    let rep_token = env.token(&rep).await;

    let csv = b"name,phone\nAnna,13812345678\n".to_vec();
    let (s, v) = upload(&env, &rep_token, "a.csv", csv.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");

    // Text in neither UTF-8 nor GBK.
    let (s, v) = upload(&env, &admin, "latin1.csv", b"name\nJos\xE9\n".to_vec()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["file_error"], "UnknownEncoding");
    assert!(v["detail"].as_str().unwrap().contains("CSV UTF-8"), "{v}");

    // An old Excel workbook.
    let (s, v) = upload(&env, &admin, "old.xls", b"\xD0\xCF\x11\xE0junk".to_vec()).await;
    assert_eq!(
        (s, &v["file_error"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("OldExcel"))
    );

    // 200 MB announced: refused before the body is read, in words and typed.
    let addr = env.base.trim_start_matches("http://").to_owned();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /v1/imports?name=big.csv HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {admin}\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        200 * 1024 * 1024
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut answer))
        .await
        .expect("answered without waiting for the body")
        .unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"TooLarge\""), "{answer}");
    assert!(answer.contains("The file is 200 MB"), "{answer}");

    // A mapping with no name column.
    let (s, preview) = upload(&env, &admin, "a.csv", csv).await;
    assert_eq!(s, StatusCode::OK);
    let id = preview["id"].as_str().unwrap().to_owned();
    let setup = json!({
        "mapping": [null, "Phone"],
        "store": admin_user.stores[0],
        "on_duplicate": "Merge",
    });
    let (s, v) = step(&env, &admin, &id, "check", setup.clone()).await;
    assert_eq!(
        (s, &v["mapping_error"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("NoName"))
    );
    // A mapping for another file's width.
    let (s, v) = step(
        &env,
        &admin,
        &id,
        "check",
        json!({"mapping": ["Name"], "store": admin_user.stores[0], "on_duplicate": "Merge"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // Ids that are not imports, or not hex, are not found; nothing is read from elsewhere.
    for bad in ["..%2F..%2Fetc%2Fpasswd", "0000", &"0".repeat(64)] {
        let (s, _) = env.get(Some(&admin), &format!("/v1/imports/{bad}")).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{bad}");
    }
    // A dispatcher imports into their own stores only.
    let dispatcher = env
        .logins
        .iter()
        .find(|l| l.roles == [Role::Dispatcher])
        .unwrap();
    let theirs = env.user(&dispatcher.login.clone());
    let other = env
        .records
        .iter()
        .find_map(|r| match r {
            domain::ops::Record::Store(s) if !theirs.stores.contains(&s.id) => Some(s.id),
            _ => None,
        })
        .unwrap();
    let token = env.token(&dispatcher.login.clone()).await;
    // The admin's file is not theirs to read, even knowing its id.
    let (s, _) = env.get(Some(&token), &format!("/v1/imports/{id}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) = step(
        &env,
        &token,
        &id,
        "check",
        json!({"mapping": ["Name", "Phone"], "store": theirs.stores[0], "on_duplicate": "Merge"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    // Given the same file, it is theirs too; but only into their own stores.
    let (s, _) = upload(
        &env,
        &token,
        "a.csv",
        b"name,phone\nAnna,13812345678\n".to_vec(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = env.get(Some(&token), &format!("/v1/imports/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = step(
        &env,
        &token,
        &id,
        "check",
        json!({"mapping": ["Name", "Phone"], "store": other, "on_duplicate": "Merge"}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
}

/// The real binary, killed with SIGKILL while an import runs: started again, it continues
/// the import by itself, and every row of the file is one customer, none missing, none twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_halfway_continues_when_the_server_starts_again() {
    use std::collections::HashMap;

    use domain::ids::UserId;
    use domain::ops::Record;
    use domain::sync::Change;

    use crate::common::{Data, admin_command, pull_from, serve_process, sign_in};

    use crate::crash::PASSWORD;
    const ROWS: usize = 6_000;
    let dir = tempfile::tempdir().unwrap();
    let data = Data::Dir(dir.path());
    let out = admin_command(
        data,
        PASSWORD,
        &["create-org", "--name", "Import Co", "--admin-login", "boss"],
    );
    let boss: UserId = out
        .split_whitespace()
        .skip_while(|w| *w != "admin")
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let http = reqwest::Client::new();
    let (mut child, base) = serve_process(data).await;
    // A store as an admin makes one on the console (and a rep beside it).
    let (store, _) = crate::crash::staff_through_ops(&http, &base, boss).await;
    let token = sign_in(&http, &base, "boss", PASSWORD).await;

    let mut file = String::from("Name,Phone\n");
    for i in 0..ROWS {
        file += &format!("Killed import {i},13{:09}\n", 500_000_000 + i);
    }
    let preview: Value = http
        .post(format!("{base}/v1/imports?name=big.csv"))
        .bearer_auth(&token)
        .body(file)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = preview["id"].as_str().unwrap().to_owned();
    let setup = json!({"mapping": ["Name", "Phone"], "store": store, "on_duplicate": "Merge"});
    let res = http
        .post(format!("{base}/v1/imports/{id}/run"))
        .bearer_auth(&token)
        .json(&setup)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    // Killed once some batches are in and before the last.
    let status = |base: String, token: String| {
        let (http, id) = (http.clone(), id.clone());
        async move {
            let v: Value = http
                .get(format!("{base}/v1/imports/{id}"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["status"].clone()
        }
    };
    let mut killed_at = None;
    for _ in 0..2_000 {
        let s = status(base.clone(), token.clone()).await;
        let done = s["Running"]["done"].as_u64().unwrap_or(0);
        assert!(
            s.get("Done").is_none(),
            "finished before it could be killed: {s}"
        );
        if done >= 500 {
            child.kill().await.unwrap();
            killed_at = Some(done);
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let killed_at = killed_at.expect("the import made progress");
    assert!(killed_at < ROWS as u64);

    let (_child, base) = serve_process(data).await;
    let token = sign_in(&http, &base, "boss", PASSWORD).await;
    let mut report = Value::Null;
    for _ in 0..3_000 {
        let s = status(base.clone(), token.clone()).await;
        if let Some(r) = s.get("Done") {
            report = r.clone();
            break;
        }
        assert!(s.get("Failed").is_none(), "{s}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(!report.is_null(), "the import did not continue by itself");

    let mut names: HashMap<String, usize> = HashMap::new();
    let mut cursor = 0;
    loop {
        let r = pull_from(&http, &base, &token, "checker", cursor).await;
        for c in r.changes {
            if let Change::Put { record } = c
                && let Record::Customer(c) = *record
            {
                *names.entry(c.name).or_default() += 1;
            }
        }
        cursor = r.cursor;
        if !r.more {
            break;
        }
    }
    assert_eq!(
        names.len(),
        ROWS,
        "every row is a customer (killed after {killed_at})"
    );
    assert!(names.values().all(|n| *n == 1), "none twice");
}

/// A loopback stand-in for a geocoding service: answers with the recorded answers in
/// `recorded/`, by what the request asks for, and counts the requests.
async fn recorded_service(
    provider: domain::places::geocode::Provider,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use axum::extract::RawQuery;
    use domain::places::geocode::Provider;
    let asked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = asked.clone();
    let answer = move |RawQuery(q): RawQuery| {
        let count = count.clone();
        async move {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let q = q.unwrap_or_default();
            // 漕溪北路, percent-encoded as the request carries it.
            let caoxi = q.contains("%E6%BC%95%E6%BA%AA%E5%8C%97%E8%B7%AF");
            let body: &str = match (provider, caoxi) {
                (Provider::AMap, _) if q.contains("key=wrong") => {
                    include_str!("recorded/amap_bad_key.json")
                }
                (Provider::AMap, true) => include_str!("recorded/amap_caoxi.json"),
                (Provider::AMap, false) => include_str!("recorded/amap_none.json"),
                (_, true) => include_str!("recorded/nominatim_caoxi.json"),
                (_, false) => "[]",
            };
            ([("content-type", "application/json")], body)
        }
    };
    let app = axum::Router::new()
        .route("/v3/geocode/geo", axum::routing::get(answer.clone()))
        .route("/search", axum::routing::get(answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), asked)
}

/// Item 5: with a geocoding service configured, imported customers get the service's
/// position (AMap's GCJ-02 brought to WGS-84; Nominatim's as it is); one the service cannot
/// place keeps its district's centre, flagged approximate; a refusing service changes nothing.
#[tokio::test]
async fn imported_customers_are_placed_by_the_configured_geocoder() {
    use domain::places::geocode::{Provider, Service};
    use domain::places::{LatLng, china};
    // Where 漕溪北路 88号 is, in WGS-84 (the AMap answer is this point in GCJ-02, within a few
    // metres; the Nominatim answer is OpenStreetMap's building, 400 m off).
    let amap_wgs = china::gcj02_to_wgs84(LatLng {
        lat: 31.190_321,
        lng: 121.436_512,
    });
    for (provider, key, expect) in [
        (Provider::AMap, "k", Some(amap_wgs)),
        (
            Provider::Nominatim,
            "",
            Some(LatLng {
                lat: 31.192_416_3,
                lng: 121.432_120_8,
            }),
        ),
        (Provider::AMap, "wrong", None),
    ] {
        let (base, asked) = recorded_service(provider).await;
        let dir = tempfile::tempdir().unwrap();
        let env = start(
            Some(Demo::default()),
            ApiConfig {
                import_dir: Some(dir.path().join("imports")),
                geocoder: Some(Service {
                    provider,
                    base,
                    key: Some(key.into()).filter(|k: &String| !k.is_empty()),
                }),
                ..ApiConfig::default()
            },
        )
        .await;
        let admin = env.token("admin").await;
        let store = env.user("admin").stores[0];
        let tag = format!("{provider:?}{key}");
        let file = format!(
            "Name,Phone,Address\n\
             Caoxi {tag},13822220001,上海市徐汇区漕溪北路88号\n\
             Nowhere {tag},13822220002,上海市浦东新区无名路1号\n"
        );
        let (s, preview) = upload(&env, &admin, "geo.csv", file.into_bytes()).await;
        assert_eq!(s, StatusCode::OK, "{preview}");
        let id = preview["id"].as_str().unwrap().to_owned();
        let setup = json!({"mapping": preview["mapping"], "store": store, "on_duplicate": "Merge"});
        let (s, v) = step(&env, &admin, &id, "run", setup).await;
        assert_eq!(s, StatusCode::ACCEPTED, "{v}");
        let done = finished(&env, &admin, &id).await;
        assert_eq!(done["Done"]["new_customers"], 2, "{done}");
        assert!(
            asked.load(std::sync::atomic::Ordering::SeqCst) >= 2,
            "the service was asked"
        );

        let customer = |name: &str| {
            use server::store::Store;
            let org = env.user("admin").org;
            env.store
                .list(org, domain::ops::RecordKind::Customer, None, 100_000)
                .unwrap()
                .records
                .into_iter()
                .find_map(|r| match r {
                    domain::ops::Record::Customer(c) if c.name == name => Some(c),
                    _ => None,
                })
                .unwrap()
        };
        let caoxi = customer(&format!("Caoxi {tag}"));
        let xuhui_centre = domain::places::districts::centre(&caoxi.address).unwrap();
        match expect {
            Some(at) => {
                let got = caoxi.address.location.unwrap();
                assert!(got.distance_m(&at) < 1.0, "{provider:?}: {got:?} vs {at:?}");
                assert!(!caoxi.address.approximate);
            }
            None => {
                // The service refused: the district's centre stays, flagged.
                assert_eq!(caoxi.address.location, Some(xuhui_centre));
                assert!(caoxi.address.approximate);
            }
        }
        let nowhere = customer(&format!("Nowhere {tag}"));
        assert!(nowhere.address.approximate, "{provider:?}");
        assert_eq!(
            nowhere.address.location,
            domain::places::districts::centre(&nowhere.address)
        );
    }
}
