//! The English words of imports: fields a column can fill, what is wrong with a row or a
//! file, and how far an import got.

use crate::import::columns::MappingError;
use crate::import::{Encoding, FileError, Format, Problem, Report, Target};
use crate::lookup::DuplicateReason;
use crate::words::Table;

pub(super) fn target(t: Target) -> &'static str {
    match t {
        Target::CustomerRef => "Customer id in the old system",
        Target::Name => "Name",
        Target::Phone => "Phone",
        Target::Address => "Address (one line)",
        Target::Province => "Province or state",
        Target::City => "City",
        Target::District => "District",
        Target::Street => "Street",
        Target::AddressDetail => "Building, floor, room",
        Target::Latitude => "Latitude",
        Target::Longitude => "Longitude",
        Target::Kind => "Customer type",
        Target::Tier => "Tier",
        Target::Tags => "Tags",
        Target::MarketingConsent => "Agreed to marketing",
        Target::Birthday => "Birthday",
        Target::Owner => "Sales rep",
        Target::Store => "Store",
        Target::Product => "Product bought",
        Target::Category => "Product category",
        Target::SerialNumber => "Serial number",
        Target::PurchaseDate => "Purchase date",
        Target::Price => "Price paid",
        Target::WarrantyEnd => "Warranty until",
        Target::LastService => "Last serviced",
        Target::ServiceInterval => "Days between services",
    }
}

pub(super) fn problem(t: &super::En, p: &Problem) -> String {
    match p {
        Problem::Missing(field) => format!("{} is empty; every row needs it.", target(*field)),
        Problem::NotADate(v) => format!("“{v}” is not a date: write it as 2024-03-05."),
        Problem::AmbiguousDate(v) => format!(
            "“{v}” could be either of two dates (day or month first): write it as 2024-03-05."
        ),
        Problem::NotAnAmount(v) => {
            format!("“{v}” is not an amount: use digits, with at most two decimals.")
        }
        Problem::NotANumber(v) => format!("“{v}” is not a whole number of days."),
        Problem::NotYesOrNo(v) => format!("“{v}” is neither yes nor no."),
        Problem::UnknownTier(v) => {
            format!("“{v}” is not a tier: use Standard, Silver, Gold or Diamond.")
        }
        Problem::UnknownKind(v) => {
            format!("“{v}” is not a customer type: use individual, institution or business.")
        }
        Problem::NotAPhone(v) => format!(
            "“{v}” is not a phone number: use digits, with + and the country code if abroad."
        ),
        Problem::Formula(v) => {
            format!("The cell holds the formula “{v}” and no value: save the file with its values.")
        }
        Problem::CellError(v) => format!("The cell holds the error {v}."),
        Problem::UnknownStore(v) => format!("No store is called “{v}”."),
        Problem::UnknownOwner(v) => {
            format!("No active sales rep signs in as, or is called, “{v}”.")
        }
        Problem::BadPosition => {
            "The position needs a latitude (−90 to 90) and a longitude (−180 to 180).".into()
        }
        Problem::CellCount { cells, header } => format!(
            "The row has {cells} cells and the header {header}: a separator inside a value may have moved its columns."
        ),
        Problem::AssetWithoutProduct => "The row describes a purchase but names no product.".into(),
        Problem::Refused(e) => t.op_error(e),
    }
}

pub(super) fn file_error(e: &FileError) -> String {
    match e {
        FileError::TooLarge { bytes, limit } => format!(
            "The file is {} MB; Rounds imports files of up to {} MB. Split it and import the parts one after the other.",
            bytes.div_ceil(1024 * 1024),
            limit / (1024 * 1024)
        ),
        FileError::Empty => "The file is empty.".into(),
        FileError::UnknownEncoding => "The file's text is neither UTF-8 nor GBK: save it from your spreadsheet as “CSV UTF-8”.".into(),
        FileError::UnknownFormat => "This is not a CSV or Excel (.xlsx) file.".into(),
        FileError::OldExcel => "This is an old Excel workbook (.xls): save it as .xlsx or CSV and choose it again.".into(),
        FileError::Unreadable(why) => format!("The workbook cannot be read ({why}): open it in Excel and save it again as .xlsx."),
        FileError::NoRows => "The file has a header row but no customers.".into(),
        FileError::TooManyRows { rows, limit } => format!(
            "The file has {rows} rows; Rounds imports up to {limit} at a time. Split it into parts."
        ),
        FileError::TooManyColumns { columns, limit } => format!(
            "The file has {columns} columns; at most {limit} can be read. Remove the columns you do not import."
        ),
        FileError::Malformed { line } => format!(
            "The CSV is broken at line {line} (a quote opened and never closed?)."
        ),
    }
}

pub(super) fn mapping_error(e: MappingError) -> String {
    match e {
        MappingError::NoName => "Choose the column that holds the customer's name.".into(),
        MappingError::Twice(t) => {
            format!("Two columns import as {}: choose one of them.", target(t))
        }
        MappingError::HalfPosition => {
            "Choose both a latitude and a longitude column, or neither.".into()
        }
        MappingError::Width { mapping, file } => {
            format!("The file has {file} columns and {mapping} were chosen: choose the file again.")
        }
    }
}

pub(super) fn place(row: u32, column: Option<(u32, &str)>) -> String {
    match column {
        Some((c, header)) if !header.is_empty() => {
            format!(
                "Row {row}, column {} “{header}”",
                crate::import::column_letters(c)
            )
        }
        Some((c, _)) => format!("Row {row}, column {}", crate::import::column_letters(c)),
        None => format!("Row {row}"),
    }
}

pub(super) fn read(rows: u32, format: Format, encoding: Encoding) -> String {
    let what = match (format, encoding) {
        (Format::Xlsx, _) => "Excel workbook",
        (Format::Csv, Encoding::Gb18030) => "CSV in GBK",
        (Format::Csv, _) => "CSV in UTF-8",
    };
    format!("{what}, {rows} rows")
}

pub(super) fn summary(r: &Report) -> String {
    let mut parts = vec![format!(
        "{} of {} rows can be imported: {} new customers, {} purchases",
        r.rows_ok, r.rows, r.new_customers, r.new_assets
    )];
    if r.merged > 0 {
        parts.push(format!("{} added to customers already in Rounds", r.merged));
    }
    if r.skipped_duplicates > 0 {
        parts.push(format!(
            "{} left out as already in Rounds",
            r.skipped_duplicates
        ));
    }
    if r.already_imported > 0 {
        parts.push(format!("{} imported before", r.already_imported));
    }
    if !r.problems.is_empty() {
        let (n, rows) = (r.problems.len(), r.problem_rows());
        parts.push(format!(
            "{n} problem{} in {rows} row{}",
            if n == 1 { "" } else { "s" },
            if rows == 1 { "" } else { "s" }
        ));
    }
    parts.join("; ") + "."
}

pub(super) fn done(r: &Report) -> String {
    let mut parts = vec![format!(
        "Imported: {} new customers, {} purchases",
        r.new_customers, r.new_assets
    )];
    if r.merged > 0 {
        parts.push(format!("{} added to customers already in Rounds", r.merged));
    }
    if r.already_imported > 0 {
        parts.push(format!("{} imported before", r.already_imported));
    }
    if !r.problems.is_empty() {
        parts.push(format!("{} rows left out", r.problem_rows()));
    }
    parts.join("; ") + "."
}

pub(super) fn progress(done: u32, total: u32) -> String {
    format!("Importing… {done} of {total} customers")
}

pub(super) fn duplicate(
    name: &str,
    existing: &str,
    number: &str,
    reason: DuplicateReason,
) -> String {
    let why = match reason {
        DuplicateReason::SamePhone => "the same phone number",
        DuplicateReason::SimilarNameNearby => "a similar name at the same address",
    };
    format!("{name} looks like {existing} ({number}): {why}.")
}

pub(super) fn failed(why: &str) -> String {
    format!("The import stopped: {why}. Start it again to continue where it stopped.")
}
