//! Bringing customers over from a file, in the admin console: the person picks a CSV or
//! .xlsx file (the shell reads it and hands the bytes over), the server reads it and
//! proposes what each column is, the person corrects that, checks every row (the dry run),
//! and runs it; the core then follows it until it is done. The file, its reading and the
//! rules are the server's (`server/src/imports.rs`, `domain::import`); this keeps where the
//! person is and what the server said, typed, for the view to word.

use std::time::Duration;

use crux_core::{Command, render::render};
use domain::ids::StoreId;
use domain::import::columns::MappingError;
use domain::import::{
    FileError, MAX_FILE_BYTES, OnDuplicate, Preview, Report, Setup, Status, Target,
};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::sync::{Failure, failure};
use super::{Event, Internal, Model};
use crate::effects::Effect;

type Http = crux_http::Http<Effect, Event>;
type Time = crux_time::command::Time<Effect, Event>;

/// How often a running import is asked how far it got.
pub const POLL: Duration = Duration::from_secs(1);
/// Problems shown at once; the rest are paged.
pub const PAGE: usize = 50;

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum ImportEvent {
    /// The file the person chose, as the shell read it.
    Picked {
        name: String,
        bytes: Vec<u8>,
    },
    /// The field a column fills (`None`: leave it out).
    Map {
        column: u32,
        target: Option<Target>,
    },
    Store(StoreId),
    OnDuplicate(OnDuplicate),
    SkipProblemRows(bool),
    Check,
    Run,
    /// The page of problems to show (0-based).
    Page(u32),
    /// Back to choosing a file.
    Reset,
}

/// Why the server would not go on, as it said it.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    File(FileError),
    Mapping(MappingError),
    /// The run was refused because of the dry run's problems.
    Problems(Report),
    Other(Failure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Busy {
    #[default]
    No,
    Reading,
    Checking,
    Starting,
}

/// Where the person is in an import.
#[derive(Debug, Clone, Default)]
pub struct Importing {
    pub busy: Busy,
    pub preview: Option<Preview>,
    pub mapping: Vec<Option<Target>>,
    pub store: Option<StoreId>,
    pub on_duplicate: OnDuplicate,
    pub skip_problem_rows: bool,
    /// The dry run, and the setup it was made for.
    pub report: Option<(Setup, Report)>,
    pub refusal: Option<Refusal>,
    pub page: usize,
    /// Which import's progress is being followed; a poll for another is dropped.
    pub polling: Option<String>,
}

/// What the server answered, kept for `Internal::Import`.
#[derive(Debug)]
pub enum Answer {
    Taken(Result<Preview, Refusal>),
    Checked(Result<Report, Refusal>),
    Started(Result<Status, Refusal>),
    Polled(Result<Preview, Refusal>),
    /// Time to ask again how far the import got.
    Poll(String),
}

impl Importing {
    /// The setup as chosen, once a file and a store are.
    #[must_use]
    pub fn setup(&self) -> Option<Setup> {
        Some(Setup {
            mapping: self.mapping.clone(),
            store: self.store?,
            on_duplicate: self.on_duplicate,
            skip_problem_rows: self.skip_problem_rows,
        })
    }

    /// The dry run, when it was made for the setup as it is now (the skip choice aside,
    /// which only decides whether it may run).
    #[must_use]
    pub fn current_report(&self) -> Option<&Report> {
        let now = self.setup()?;
        let (then, report) = self.report.as_ref()?;
        (then.mapping == now.mapping
            && then.store == now.store
            && then.on_duplicate == now.on_duplicate)
            .then_some(report)
    }
}

pub fn update(model: &mut Model, event: ImportEvent) -> Command<Effect, Event> {
    let im = &mut model.import;
    match event {
        ImportEvent::Picked { name, bytes } => {
            *im = Importing::default();
            // Said before the file travels; the server says it again for other clients.
            if bytes.len() > MAX_FILE_BYTES {
                im.refusal = Some(Refusal::File(FileError::TooLarge {
                    bytes: bytes.len() as u64,
                    limit: MAX_FILE_BYTES as u64,
                }));
                return render();
            }
            im.busy = Busy::Reading;
            let Some(url) = model.endpoint(&format!("/v1/imports?name={}", encode(&name))) else {
                return Command::done();
            };
            let Some(token) = model.session().map(|s| s.access_token.clone()) else {
                return Command::done();
            };
            let req = Http::post(url)
                .header("Authorization", format!("Bearer {token}"))
                .header("Content-Type", "application/octet-stream")
                .body_bytes(bytes)
                .expect_json::<Preview>()
                .build()
                .then_send(|r| answered(Answer::Taken(json(r))));
            Command::all([render(), req])
        }
        ImportEvent::Map { column, target } => {
            if let Some(slot) = im.mapping.get_mut(column as usize) {
                *slot = target;
            }
            im.refusal = None;
            render()
        }
        ImportEvent::Store(store) => {
            im.store = Some(store);
            render()
        }
        ImportEvent::OnDuplicate(choice) => {
            im.on_duplicate = choice;
            render()
        }
        ImportEvent::SkipProblemRows(skip) => {
            im.skip_problem_rows = skip;
            render()
        }
        ImportEvent::Page(page) => {
            im.page = page as usize;
            render()
        }
        ImportEvent::Reset => {
            *im = Importing::default();
            render()
        }
        ImportEvent::Check => send_setup(model, "check", Busy::Checking),
        ImportEvent::Run => send_setup(model, "run", Busy::Starting),
    }
}

fn send_setup(model: &mut Model, what: &'static str, busy: Busy) -> Command<Effect, Event> {
    let (Some(setup), Some(id)) = (
        model.import.setup(),
        model.import.preview.as_ref().map(|p| p.id.clone()),
    ) else {
        return Command::done();
    };
    let (Some(url), Some(token)) = (
        model.endpoint(&format!("/v1/imports/{id}/{what}")),
        model.session().map(|s| s.access_token.clone()),
    ) else {
        return Command::done();
    };
    model.import.busy = busy;
    model.import.refusal = None;
    let req = match Http::post(url)
        .header("Authorization", format!("Bearer {token}"))
        .body_json(&setup)
    {
        Ok(req) => req,
        Err(e) => {
            model.import.busy = Busy::No;
            model.import.refusal = Some(Refusal::Other(Failure::Refused(e.to_string())));
            return render();
        }
    };
    let sent = if what == "check" {
        req.expect_json::<Report>()
            .build()
            .then_send(|r| answered(Answer::Checked(json(r))))
    } else {
        req.expect_json::<Status>()
            .build()
            .then_send(|r| answered(Answer::Started(json(r))))
    };
    Command::all([render(), sent])
}

fn answered(a: Answer) -> Event {
    Event::internal(Internal::Import(a))
}

fn json<T>(r: crux_http::Result<crux_http::Response<T>>) -> Result<T, Refusal> {
    match r {
        Ok(mut resp) => resp.take_body().ok_or_else(|| {
            Refusal::Other(Failure::Refused("The server sent an empty answer.".into()))
        }),
        Err(e) => Err(refusal(&e)),
    }
}

/// The typed reason of an import problem document, else the failure as any request's.
fn refusal(e: &crux_http::HttpError) -> Refusal {
    let body = e.body_json::<serde_json::Value>().ok();
    let typed = |key: &str| body.as_ref().and_then(|b| b.get(key)).cloned();
    if let Some(f) = typed("file_error").and_then(|v| serde_json::from_value(v).ok()) {
        return Refusal::File(f);
    }
    if let Some(m) = typed("mapping_error").and_then(|v| serde_json::from_value(v).ok()) {
        return Refusal::Mapping(m);
    }
    if let Some(r) = typed("report").and_then(|v| serde_json::from_value(v).ok()) {
        return Refusal::Problems(r);
    }
    Refusal::Other(failure(e))
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Model {
    pub(super) fn import_answered(&mut self, answer: Answer) -> Command<Effect, Event> {
        // The store a new import goes to unless the person picks another: the first they run.
        let own_store = self.user().and_then(|u| {
            let mut run: Vec<StoreId> = self
                .replica
                .stores()
                .map(|s| s.id)
                .filter(|s| u.manages_store(*s))
                .collect();
            run.sort();
            u.stores
                .iter()
                .copied()
                .find(|s| run.contains(s))
                .or(run.first().copied())
        });
        let im = &mut self.import;
        match answer {
            Answer::Taken(r) => {
                im.busy = Busy::No;
                match r {
                    Ok(p) => {
                        im.mapping = p.mapping.clone();
                        im.store = im.store.or(own_store);
                        let follow =
                            matches!(p.status, Status::Running { .. }).then(|| p.id.clone());
                        im.preview = Some(p);
                        if let Some(id) = follow {
                            return self.follow(id);
                        }
                    }
                    Err(e) => im.refusal = Some(e),
                }
                render()
            }
            Answer::Checked(r) => {
                im.busy = Busy::No;
                im.page = 0;
                match r {
                    Ok(report) => {
                        if let Some(setup) = im.setup() {
                            im.report = Some((setup, report));
                        }
                    }
                    Err(e) => im.refusal = Some(e),
                }
                render()
            }
            Answer::Started(r) => {
                im.busy = Busy::No;
                match r {
                    Ok(status) => {
                        let id = im
                            .preview
                            .as_ref()
                            .filter(|_| matches!(status, Status::Running { .. }))
                            .map(|p| p.id.clone());
                        if let Some(p) = im.preview.as_mut() {
                            p.status = status;
                        }
                        if let Some(id) = id {
                            return Command::all([render(), self.follow(id)]);
                        }
                    }
                    Err(Refusal::Problems(report)) => {
                        if let Some(setup) = im.setup() {
                            im.report = Some((setup, report.clone()));
                        }
                        im.refusal = Some(Refusal::Problems(report));
                    }
                    Err(e) => im.refusal = Some(e),
                }
                render()
            }
            Answer::Polled(r) => {
                match r {
                    Ok(p) => {
                        let running = matches!(p.status, Status::Running { .. });
                        let id = p.id.clone();
                        if let Some(mine) = im.preview.as_mut()
                            && mine.id == p.id
                        {
                            mine.status = p.status;
                        }
                        if running && im.polling.as_deref() == Some(&id) {
                            return Command::all([render(), poll_later(id)]);
                        }
                        im.polling = None;
                    }
                    // Offline for a moment: ask again.
                    Err(Refusal::Other(Failure::Offline(_))) => {
                        if let Some(id) = im.polling.clone() {
                            return poll_later(id);
                        }
                    }
                    Err(e) => {
                        im.polling = None;
                        im.refusal = Some(e);
                    }
                }
                render()
            }
            Answer::Poll(id) => {
                if im.polling.as_deref() != Some(&id) {
                    return Command::done();
                }
                let (Some(url), Some(token)) = (
                    self.endpoint(&format!("/v1/imports/{id}")),
                    self.session().map(|s| s.access_token.clone()),
                ) else {
                    return Command::done();
                };
                Http::get(url)
                    .header("Authorization", format!("Bearer {token}"))
                    .expect_json::<Preview>()
                    .build()
                    .then_send(|r| answered(Answer::Polled(json(r))))
            }
        }
    }

    fn follow(&mut self, id: String) -> Command<Effect, Event> {
        self.import.polling = Some(id.clone());
        poll_later(id)
    }
}

fn poll_later(id: String) -> Command<Effect, Event> {
    let (timer, _handle) = Time::notify_after(POLL);
    timer.then_send(move |_| answered(Answer::Poll(id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DispatcherEvent;
    use crate::model::back_office::BackOfficeEvent;
    use crate::model::fake_shell::drive;
    use crate::model::tests::{signed_in, t0, user_with};
    use domain::import::{Encoding, Format, Problem, RowProblem};
    use domain::org::Role;

    fn send(model: &mut Model, e: ImportEvent) -> crate::model::fake_shell::Outcome {
        drive(
            model,
            Event::Dispatcher(DispatcherEvent::BackOffice(BackOfficeEvent::Import(e))),
            t0(),
        )
    }

    fn answer(model: &mut Model, a: Answer) -> crate::model::fake_shell::Outcome {
        drive(model, answered(a), t0())
    }

    fn view(model: &Model) -> crate::view::imports::ImportView {
        let ctx = crate::view::format::Ctx::new(model);
        crate::view::imports::view(model, &ctx)
    }

    fn preview(status: Status) -> Preview {
        Preview {
            id: "ab".repeat(32),
            file_name: "till.csv".into(),
            format: Format::Csv,
            encoding: Encoding::Gb18030,
            rows: 3,
            headers: vec!["姓名".into(), "手机".into(), "备注".into()],
            sample: vec![vec!["张伟".into(), "13812345678".into(), "老客户".into()]],
            mapping: vec![Some(Target::Name), Some(Target::Phone), None],
            status,
        }
    }

    fn report(problems: usize) -> Report {
        Report {
            rows: 200,
            rows_ok: u32::try_from(200 - problems).unwrap(),
            new_customers: 10,
            problems: (0..problems)
                .map(|i| RowProblem {
                    row: u32::try_from(i + 2).unwrap(),
                    column: Some(1),
                    problem: Problem::NotAPhone("12345".into()),
                })
                .collect(),
            ..Report::default()
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_before_it_travels() {
        let mut admin = signed_in(user_with(Role::Admin));
        let out = send(
            &mut admin,
            ImportEvent::Picked {
                name: "big.csv".into(),
                bytes: vec![b'a'; MAX_FILE_BYTES + 1],
            },
        );
        assert!(out.http.is_empty());
        let v = view(&admin);
        assert!(v.refusal.unwrap().contains("64 MB"));
    }

    #[test]
    fn a_file_is_read_mapped_checked_paged_and_run_until_done() {
        let mut admin = signed_in(user_with(Role::Admin));
        let out = send(
            &mut admin,
            ImportEvent::Picked {
                name: "till 1.csv".into(),
                bytes: b"name\nAnna\n".to_vec(),
            },
        );
        let req = &out.http[0];
        assert_eq!(req.method, "POST");
        assert!(
            req.url.ends_with("/v1/imports?name=till%201.csv"),
            "{}",
            req.url
        );
        assert_eq!(req.body, b"name\nAnna\n");
        assert!(view(&admin).busy.is_some());

        answer(&mut admin, Answer::Taken(Ok(preview(Status::Ready))));
        let v = view(&admin);
        assert!(v.busy.is_none());
        assert_eq!(v.columns[1].letter, "B");
        assert_eq!(v.columns[1].samples, ["13812345678"]);
        assert!(v.file.unwrap().contains("GBK"));
        assert!(
            v.stores.iter().any(|s| s.chosen),
            "the admin's store is chosen"
        );
        assert!(v.may_check && !v.may_run);

        send(
            &mut admin,
            ImportEvent::Map {
                column: 2,
                target: Some(Target::Tags),
            },
        );
        let out = send(&mut admin, ImportEvent::Check);
        let req = &out.http[0];
        assert!(
            req.url
                .ends_with(&format!("/v1/imports/{}/check", "ab".repeat(32)))
        );
        let sent: Setup = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(sent.mapping[2], Some(Target::Tags));

        answer(&mut admin, Answer::Checked(Ok(report(120))));
        let v = view(&admin);
        assert_eq!(v.problems.len(), PAGE, "a page of problems, not all");
        assert!(
            v.problems[0].place.contains("Row 2"),
            "{:?}",
            v.problems[0].place
        );
        assert_eq!((v.previous_page, v.next_page), (None, Some(1)));
        assert!(!v.may_run, "not with problems left");
        send(&mut admin, ImportEvent::Page(9));
        let v = view(&admin);
        assert_eq!(v.problems.len(), 20, "the last page");
        assert_eq!(v.next_page, None);
        send(&mut admin, ImportEvent::SkipProblemRows(true));
        assert!(view(&admin).may_run);

        // Changing a column makes the dry run stale: it must be made again.
        send(
            &mut admin,
            ImportEvent::Map {
                column: 2,
                target: None,
            },
        );
        let v = view(&admin);
        assert!(v.summary.is_none() && !v.may_run);
        send(
            &mut admin,
            ImportEvent::Map {
                column: 2,
                target: Some(Target::Tags),
            },
        );
        assert!(view(&admin).may_run);

        let out = send(&mut admin, ImportEvent::Run);
        assert!(out.http[0].url.ends_with("/run"));
        answer(
            &mut admin,
            Answer::Started(Ok(Status::Running {
                done: 0,
                total: 180,
            })),
        );
        // It follows the import: when the poll's timer fires, it asks for the status.
        assert_eq!(admin.import.polling, Some("ab".repeat(32)));
        let out = answer(&mut admin, Answer::Poll("ab".repeat(32)));
        assert!(
            out.http
                .iter()
                .any(|r| r.method == "GET" && r.url.ends_with(&"ab".repeat(32))),
            "{:?}",
            out.http
        );
        answer(
            &mut admin,
            Answer::Polled(Ok(preview(Status::Running {
                done: 60,
                total: 180,
            }))),
        );
        let v = view(&admin);
        assert_eq!(v.progress.map(|p| (p.done, p.total)), Some((60, 180)));
        assert!(v.busy.unwrap().contains("60 of 180"));
        // A poll for an import no longer followed asks nothing.
        assert!(
            answer(&mut admin, Answer::Poll("cd".repeat(32)))
                .http
                .is_empty()
        );
        answer(
            &mut admin,
            Answer::Polled(Ok(preview(Status::Done(report(0))))),
        );
        assert_eq!(admin.import.polling, None, "done: no more polls");
        let v = view(&admin);
        assert!(v.done.unwrap().contains("10 new customers"));
        assert!(v.progress.is_none());
    }

    #[test]
    fn the_servers_refusals_are_worded_in_the_persons_language() {
        let mut admin = signed_in(user_with(Role::Admin));
        answer(
            &mut admin,
            Answer::Taken(Err(Refusal::File(FileError::UnknownEncoding))),
        );
        assert!(view(&admin).refusal.unwrap().contains("CSV UTF-8"));
        admin.language = domain::words::Lang::SimplifiedChinese;
        assert!(view(&admin).refusal.unwrap().contains("编码"));
        answer(&mut admin, Answer::Taken(Ok(preview(Status::Ready))));
        answer(
            &mut admin,
            Answer::Checked(Err(Refusal::Mapping(MappingError::NoName))),
        );
        assert_eq!(
            view(&admin).refusal.unwrap().text,
            "请选择包含客户姓名的列。"
        );
    }
}
