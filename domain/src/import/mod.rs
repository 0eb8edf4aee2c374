//! Bringing customers and what they bought over from other systems: a spreadsheet or a CSV
//! export of a CRM or a till, read into a [`Sheet`], its columns matched to Rounds' fields
//! ([`columns`]), each row read into a customer and an asset with every problem named by row
//! and column ([`rows`]), and the rows turned into ops with ids that depend only on the file
//! and the row, so that running the same file again creates nothing new ([`plan`]).
//!
//! Nothing here writes: the server reads the file, runs [`plan::check`] for the dry run and
//! sends the planned ops through `apply` like any device's, in batches, recording how far it
//! got so that an interrupted import resumes. A purchase is an asset today (what the customer
//! bought, when and for how much); purchases as records of their own come later.

pub mod columns;
pub mod plan;
#[cfg(feature = "files")]
pub mod read;
pub mod rows;
pub mod values;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::{CustomerId, StoreId};
use crate::lookup::DuplicateReason;
use crate::ops::OpError;

pub use columns::Target;

/// The largest file an import takes. A 100,000-row export of customers is about 15 MB as CSV;
/// anything much larger is more than one year's export of a chain and goes in parts.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Rows one file may hold.
pub const MAX_ROWS: usize = 500_000;
/// Columns one file may hold.
pub const MAX_COLUMNS: usize = 200;

/// Spreadsheet column letters: 0 is A, 26 is AA.
#[must_use]
pub fn column_letters(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + (c % 26) as u8));
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.iter().rev().collect()
}

/// One cell as the file holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell Excel formats as a date.
    Date(NaiveDate),
    /// A formula whose result the file does not hold (or, in a CSV, text that starts with
    /// `=`): a value someone meant to compute, not one to import.
    Formula(String),
    /// `#N/A`, `#REF!`, `#DIV/0!`.
    Error(String),
}

impl Cell {
    /// The cell as a person would read it, for the preview.
    #[must_use]
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) | Cell::Formula(s) | Cell::Error(s) => s.clone(),
            Cell::Number(n) => values::number_text(*n),
            Cell::Bool(b) => b.to_string(),
            Cell::Date(d) => d.to_string(),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }
}

/// A file's first sheet: the header row and the data rows, each as long as the header.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// Data rows whose cell count differed from the header's (CSV only): 0-based indexes into
    /// `rows`, which were padded or cut to the header's width.
    #[serde(default)]
    pub ragged: Vec<(usize, usize)>,
}

impl Sheet {
    /// The row number a person sees in their spreadsheet: the header is row 1.
    #[must_use]
    pub fn row_number(index: usize) -> u32 {
        u32::try_from(index + 2).unwrap_or(u32::MAX)
    }
}

/// What a file was, as read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Encoding {
    Utf8,
    /// GBK and its superset GB 18030, which Excel and Chinese tills write by default.
    Gb18030,
    /// Inside an .xlsx file text is always Unicode.
    Unicode,
}

/// Why a file cannot be imported at all. Nothing of it is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum FileError {
    #[error("the file is {bytes} bytes; at most {limit} are imported")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("the file is empty")]
    Empty,
    #[error("the text is neither UTF-8 nor GBK")]
    UnknownEncoding,
    #[error("not a CSV or .xlsx file")]
    UnknownFormat,
    /// An .xls workbook (Excel 97-2003).
    #[error("an .xls workbook; save it as .xlsx or CSV")]
    OldExcel,
    /// An .xls (Excel 97-2003), .xlsb or .ods file, or a damaged .xlsx.
    #[error("the spreadsheet cannot be read: {0}")]
    Unreadable(String),
    #[error("the file has a header but no rows")]
    NoRows,
    #[error("the file has {rows} rows; at most {limit} are imported at once")]
    TooManyRows { rows: usize, limit: usize },
    #[error("the file has {columns} columns; at most {limit}")]
    TooManyColumns { columns: usize, limit: usize },
    #[error("the CSV is malformed at line {line}")]
    Malformed { line: u64 },
}

/// What the person chose for an import.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// One entry per column of the file: the field it fills, or `None` to leave it out.
    pub mapping: Vec<Option<Target>>,
    /// The store customers join when the file has no store column (or leaves it empty).
    pub store: StoreId,
    pub on_duplicate: OnDuplicate,
    /// Import the rows without problems and leave the others out. Without it an import with
    /// any problem writes nothing.
    #[serde(default)]
    pub skip_problem_rows: bool,
}

/// What happens to a customer of the file who looks like one already in Rounds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, facet::Facet)]
#[repr(C)]
pub enum OnDuplicate {
    /// Their assets go to the customer already there, with any phone number it lacks.
    #[default]
    Merge,
    /// The row is left out.
    Skip,
    /// A customer of their own (the duplicate check will suggest merging them later).
    Create,
}

/// One problem of one row: the dry run lists all of them before anything is written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// The column (0-based) the problem is in, when it is in one.
    pub column: Option<u32>,
    pub problem: Problem,
}

/// Why a row cannot be imported as it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Problem {
    /// A field every row needs is empty.
    Missing(Target),
    NotADate(String),
    /// `03/05/2024`: March or May? Written as 2024-03-05 it is certain.
    AmbiguousDate(String),
    NotAnAmount(String),
    NotANumber(String),
    NotYesOrNo(String),
    UnknownTier(String),
    UnknownKind(String),
    NotAPhone(String),
    /// A formula without a saved result (`=VLOOKUP(...)`).
    Formula(String),
    /// An error value such as `#N/A`.
    CellError(String),
    UnknownStore(String),
    /// No active sales rep signs in as, or is called, this.
    UnknownOwner(String),
    /// A latitude or longitude outside the earth, or only one of the two.
    BadPosition,
    /// The row has a different number of cells from the header: its columns may have slid.
    CellCount {
        cells: u32,
        header: u32,
    },
    /// An asset column is filled but the product is not.
    AssetWithoutProduct,
    /// `apply` refused the customer or asset the row makes.
    Refused(OpError),
}

/// A customer of the file who looks like one already in Rounds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggestion {
    /// The first row of the file's customer.
    pub row: u32,
    pub name: String,
    pub existing: CustomerId,
    pub existing_name: String,
    pub reason: DuplicateReason,
}

/// What an import will do (the dry run) or did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Data rows in the file.
    pub rows: u32,
    /// Rows that will be (or were) imported.
    pub rows_ok: u32,
    pub new_customers: u32,
    /// File customers whose assets go to a customer already in Rounds.
    pub merged: u32,
    /// File customers left out because they look like one already in Rounds.
    pub skipped_duplicates: u32,
    /// File customers imported before (by an earlier run of this file).
    pub already_imported: u32,
    pub new_assets: u32,
    /// Every problem, in row order.
    pub problems: Vec<RowProblem>,
    /// Every likely duplicate found, in row order.
    pub duplicates: Vec<Suggestion>,
}

impl Report {
    /// Rows with at least one problem.
    #[must_use]
    pub fn problem_rows(&self) -> u32 {
        let mut rows: Vec<u32> = self.problems.iter().map(|p| p.row).collect();
        rows.dedup();
        u32::try_from(rows.len()).unwrap_or(u32::MAX)
    }

    /// Whether the import may run with this setup.
    #[must_use]
    pub fn may_run(&self, setup: &Setup) -> bool {
        self.rows_ok > 0 && (self.problems.is_empty() || setup.skip_problem_rows)
    }
}

/// What the server tells about a file it was given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Preview {
    /// The import's id: the SHA-256 of the file, in hex.
    pub id: String,
    pub file_name: String,
    pub format: Format,
    pub encoding: Encoding,
    pub rows: u32,
    pub headers: Vec<String>,
    /// The first rows as they read.
    pub sample: Vec<Vec<String>>,
    /// The fields the columns look like, for the person to correct.
    pub mapping: Vec<Option<Target>>,
    pub status: Status,
}

/// Where an import stands.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum Status {
    /// Given, checked or not, not started.
    #[default]
    Ready,
    Running {
        done: u32,
        total: u32,
    },
    Done(Report),
    /// Stopped by something other than the rows (the server's storage): running it again
    /// continues where it stopped.
    Failed(String),
}
