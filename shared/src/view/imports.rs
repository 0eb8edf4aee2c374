//! The import section of the admin console (`model::imports`): the file and what was read of
//! it, each column with its first values and the field it fills, the choices, the dry run's
//! summary with a page of its problems and duplicates, and the progress of a run. Problems are
//! paged ([`crate::model::imports::PAGE`] at a time): a file with thousands of bad rows never
//! renders thousands of lines.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use super::words::label_set;
use crate::model::Model;
use crate::model::imports::{Busy, PAGE, Refusal};
use domain::ids::StoreId;
use domain::import::{OnDuplicate, Status, Target, column_letters};
use domain::words::Label;

label_set! {
    ImportLabels {
        title: ImportCustomers,
        hint: ImportHint,
        choose_file: ChooseFile,
        column: ColumnInFile,
        imports_as: ImportsAs,
        not_imported: NotImported,
        first_rows: FirstRows,
        store: StoreForRows,
        when_there: WhenAlreadyThere,
        check: CheckRows,
        skip_problem_rows: SkipProblemRows,
        run: RunImport,
        problems: ImportProblems,
        duplicates: LikelyDuplicates,
        another: ImportAnother,
        no_problems: ImportNoProblems,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ImportView {
    /// "Reading the file…", "Checking every row…", "Importing… 120 of 2,000 customers".
    pub busy: Option<Word>,
    /// For a progress bar while it runs.
    pub progress: Option<Progress>,
    /// The file's name and what it was read as ("till.csv — CSV in GBK, 23 rows").
    pub file: Option<Word>,
    pub columns: Vec<ImportColumn>,
    /// Every field a column can fill, for each column's choice.
    pub targets: Vec<TargetChoice>,
    pub stores: Vec<ImportStore>,
    pub duplicate_choices: Vec<DuplicateChoice>,
    pub skip_problem_rows: bool,
    pub may_check: bool,
    /// The dry run's summary, when it was made for the columns as they are now.
    pub summary: Option<Word>,
    pub problems: Vec<ProblemLine>,
    /// "51–100 of 340", with the pages before and after, when there is more than one page.
    pub problems_page: Option<Word>,
    pub previous_page: Option<u32>,
    pub next_page: Option<u32>,
    pub duplicates: Vec<Word>,
    pub may_run: bool,
    /// Why the server would not go on, in words.
    pub refusal: Option<Word>,
    /// What the finished import did.
    pub done: Option<Word>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Customers of the file done, of `total`.
    pub done: u32,
    pub total: u32,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ImportColumn {
    pub index: u32,
    /// "C", as the spreadsheet names it.
    pub letter: String,
    pub header: String,
    pub samples: Vec<String>,
    pub target: Option<Target>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TargetChoice {
    pub target: Target,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ImportStore {
    pub id: StoreId,
    pub name: String,
    pub chosen: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DuplicateChoice {
    pub choice: OnDuplicate,
    pub label: Word,
    pub chosen: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ProblemLine {
    /// "Row 4, column C “手机”".
    pub place: Word,
    pub text: Word,
}

pub(crate) fn view(model: &Model, ctx: &Ctx) -> ImportView {
    let t = ctx.t;
    let im = &model.import;
    let me = model.user();
    let mut stores: Vec<ImportStore> = model
        .replica
        .stores()
        .filter(|s| me.is_some_and(|u| u.manages_store(s.id)))
        .map(|s| ImportStore {
            id: s.id,
            name: s.name.clone(),
            chosen: im.store == Some(s.id),
        })
        .collect();
    stores.sort_by(|a, b| a.name.cmp(&b.name));
    let running = im.preview.as_ref().and_then(|p| match p.status {
        Status::Running { done, total } => Some((done, total)),
        _ => None,
    });
    let busy = match (im.busy, running) {
        (Busy::Reading, _) => Some(Word::label(t, Label::ReadingFile)),
        (Busy::Checking, _) => Some(Word::label(t, Label::Checking)),
        (_, Some((done, total))) => Some(Word::new(t.import_progress(done, total))),
        (Busy::Starting, None) => Some(Word::label(t, Label::Loading)),
        (Busy::No, None) => None,
    };
    let headers = im
        .preview
        .as_ref()
        .map(|p| p.headers.as_slice())
        .unwrap_or_default();
    let columns = im
        .preview
        .as_ref()
        .map(|p| {
            p.headers
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let index = u32::try_from(i).unwrap_or(u32::MAX);
                    ImportColumn {
                        index,
                        letter: column_letters(index),
                        header: h.clone(),
                        samples: p
                            .sample
                            .iter()
                            .filter_map(|r| r.get(i).cloned())
                            .filter(|c| !c.is_empty())
                            .take(3)
                            .collect(),
                        target: im.mapping.get(i).copied().flatten(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let report = im.current_report();
    let place = |row: u32, column: Option<u32>| {
        let header = column
            .and_then(|c| headers.get(c as usize))
            .map(String::as_str);
        Word::new(t.import_place(row, column.zip(header)))
    };
    let (problems, problems_page, previous_page, next_page) = match report {
        Some(r) if !r.problems.is_empty() => {
            let pages = r.problems.len().div_ceil(PAGE);
            let page = im.page.min(pages - 1);
            let first = page * PAGE;
            let last = (first + PAGE).min(r.problems.len());
            let lines = r.problems[first..last]
                .iter()
                .map(|p| ProblemLine {
                    place: place(p.row, p.column),
                    text: Word::new(t.import_problem(&p.problem)),
                })
                .collect();
            let paged =
                (pages > 1).then(|| Word::new(t.page_of(first + 1, last, r.problems.len())));
            let to = |p: usize| u32::try_from(p).ok();
            (
                lines,
                paged,
                page.checked_sub(1).and_then(to),
                (page + 1 < pages).then_some(page + 1).and_then(to),
            )
        }
        _ => (Vec::new(), None, None, None),
    };
    let duplicates = report
        .map(|r| {
            r.duplicates
                .iter()
                .take(PAGE)
                .map(|d| {
                    let number = domain::ids::short_code('C', d.existing.0);
                    Word::new(format!(
                        "{} · {}",
                        place(d.row, None),
                        t.import_duplicate(&d.name, &d.existing_name, &number, d.reason)
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let refusal = im.refusal.as_ref().map(|r| match r {
        Refusal::File(e) => Word::new(t.import_file_error(e)),
        Refusal::Mapping(e) => Word::new(t.import_mapping_error(*e)),
        Refusal::Problems(r) => Word::new(t.import_summary(r)),
        Refusal::Other(f) => super::notice(t, &f.notice()),
    });
    let done = im.preview.as_ref().and_then(|p| match &p.status {
        Status::Done(r) => Some(Word::new(t.import_done(r))),
        Status::Failed(why) => Some(Word::new(t.import_failed(why))),
        _ => None,
    });
    let idle = im.busy == Busy::No && running.is_none();
    let may_check = idle && im.preview.is_some() && im.store.is_some();
    let may_run = may_check
        && report.is_some_and(|r| r.rows_ok > 0 && (r.problems.is_empty() || im.skip_problem_rows));
    ImportView {
        busy,
        progress: running.map(|(done, total)| Progress { done, total }),
        file: im.preview.as_ref().map(|p| {
            Word::new(format!(
                "{} — {}",
                p.file_name,
                t.import_read(p.rows, p.format, p.encoding)
            ))
        }),
        columns,
        targets: Target::ALL
            .iter()
            .map(|target| TargetChoice {
                target: *target,
                label: Word::new(t.import_target(*target)),
            })
            .collect(),
        stores,
        duplicate_choices: [
            (OnDuplicate::Merge, Label::DuplicateMerge),
            (OnDuplicate::Skip, Label::DuplicateSkip),
            (OnDuplicate::Create, Label::DuplicateCreate),
        ]
        .into_iter()
        .map(|(choice, label)| DuplicateChoice {
            choice,
            label: Word::label(t, label),
            chosen: im.on_duplicate == choice,
        })
        .collect(),
        skip_problem_rows: im.skip_problem_rows,
        may_check,
        summary: report.map(|r| Word::new(t.import_summary(r))),
        problems,
        problems_page,
        previous_page,
        next_page,
        duplicates,
        may_run,
        refusal,
        done,
    }
}
