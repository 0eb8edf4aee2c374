//! Files into a [`Sheet`]: CSV in UTF-8 (with or without a byte-order mark) or GBK, with
//! commas, semicolons or tabs, and the first sheet of an .xlsx workbook with its cell types
//! (numbers, dates, formulas, errors) kept. Anything else is refused whole, with the reason.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{
    Cell, Encoding, FileError, Format, MAX_COLUMNS, MAX_FILE_BYTES, MAX_ROWS, Sheet, values,
};

/// The most an .xlsx file may unpack to: its XML is ten to twenty times its size, and a file
/// that unpacks to far more is a zip bomb, not a customer list.
const MAX_UNPACKED_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads a whole file.
pub fn read(bytes: &[u8]) -> Result<(Sheet, Format, Encoding), FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge {
            bytes: bytes.len() as u64,
            limit: MAX_FILE_BYTES as u64,
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FileError::Empty);
    }
    let sheet = if bytes.starts_with(b"PK\x03\x04") {
        (xlsx(bytes)?, Format::Xlsx, Encoding::Unicode)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(FileError::OldExcel);
    } else {
        let (text, encoding) = decode(bytes)?;
        (csv(&text)?, Format::Csv, encoding)
    };
    let (s, ..) = &sheet;
    if s.headers.len() > MAX_COLUMNS {
        return Err(FileError::TooManyColumns {
            columns: s.headers.len(),
            limit: MAX_COLUMNS,
        });
    }
    if s.rows.is_empty() {
        return Err(FileError::NoRows);
    }
    Ok(sheet)
}

/// UTF-8 when the bytes are UTF-8 (nearly every GBK text with Chinese in it is not), else
/// GB 18030, the superset of GBK; text that is neither is refused rather than guessed at.
fn decode(bytes: &[u8]) -> Result<(String, Encoding), FileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.contains(&0) {
        // UTF-16 (Excel's "Unicode text") or a binary file.
        return Err(FileError::UnknownFormat);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), Encoding::Utf8));
    }
    let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(FileError::UnknownEncoding);
    }
    Ok((text.into_owned(), Encoding::Gb18030))
}

/// The separator the header line uses most: comma, semicolon (Excel in much of Europe) or tab.
fn separator(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (first.bytes().filter(|&b| b == d).count(), d == b','))
        .unwrap_or(b',')
}

fn csv(text: &str) -> Result<Sheet, FileError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator(text))
        .from_reader(text.as_bytes());
    let mut sheet = Sheet::default();
    let mut record = csv::StringRecord::new();
    let mut first = true;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(FileError::Malformed {
                    line: e.position().map_or(0, csv::Position::line),
                });
            }
        }
        if first {
            sheet.headers = record.iter().map(values::clean).collect();
            if sheet.headers.len() > MAX_COLUMNS {
                break;
            }
            first = false;
            continue;
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if sheet.rows.len() >= MAX_ROWS {
            return Err(FileError::TooManyRows {
                rows: sheet.rows.len() + 1,
                limit: MAX_ROWS,
            });
        }
        let width = sheet.headers.len();
        if record.len() != width {
            sheet.ragged.push((sheet.rows.len(), record.len()));
        }
        let mut row: Vec<Cell> = record
            .iter()
            .take(width)
            .map(|c| {
                if c.trim().is_empty() {
                    Cell::Empty
                } else if c.trim_start().starts_with('=') {
                    Cell::Formula(c.to_owned())
                } else {
                    Cell::Text(c.to_owned())
                }
            })
            .collect();
        row.resize(width, Cell::Empty);
        sheet.rows.push(row);
    }
    Ok(sheet)
}

fn xlsx(bytes: &[u8]) -> Result<Sheet, FileError> {
    unpacked_size(bytes)?;
    let unreadable = |e: &dyn std::fmt::Display| FileError::Unreadable(e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let names = book.sheet_names();
    let Some(name) = names.first().cloned() else {
        return Err(FileError::NoRows);
    };
    let range = book.worksheet_range(&name).map_err(|e| unreadable(&e))?;
    let formulas = book.worksheet_formula(&name).ok();
    let Some((top, left)) = range.start() else {
        return Err(FileError::Empty);
    };
    let (height, width) = range.get_size();
    if width > MAX_COLUMNS {
        return Err(FileError::TooManyColumns {
            columns: width,
            limit: MAX_COLUMNS,
        });
    }
    if height > MAX_ROWS + 1 {
        return Err(FileError::TooManyRows {
            rows: height - 1,
            limit: MAX_ROWS,
        });
    }
    let formula_at = |row: usize, col: usize| -> Option<String> {
        let f = formulas.as_ref()?;
        let at = (top + row as u32, left + col as u32);
        f.get_value(at).filter(|s| !s.is_empty()).cloned()
    };
    let mut sheet = Sheet::default();
    for (r, cells) in range.rows().enumerate() {
        if r == 0 {
            sheet.headers = cells
                .iter()
                .map(|c| values::clean(&cell(c).shown()))
                .collect();
            continue;
        }
        let row: Vec<Cell> = cells
            .iter()
            .enumerate()
            .map(|(c, data)| match (cell(data), formula_at(r, c)) {
                (Cell::Empty, Some(f)) => Cell::Formula(format!("={f}")),
                (value, _) => value,
            })
            .collect();
        if row.iter().all(Cell::is_empty) {
            continue;
        }
        sheet.rows.push(row);
    }
    Ok(sheet)
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Empty,
        Data::String(s) if s.trim().is_empty() => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(d) => match values::from_serial(d.as_f64()) {
            Some(day) if d.is_datetime() => Cell::Date(day),
            _ => Cell::Number(d.as_f64()),
        },
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

/// Refuses a workbook whose parts unpack to more than [`MAX_UNPACKED_BYTES`], before
/// unpacking any of it. The sizes are the archive's own claims; a part that claims less and
/// unpacks to more is cut short by the zip reader, which checks them.
fn unpacked_size(bytes: &[u8]) -> Result<(), FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| FileError::Unreadable(e.to_string()))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(FileError::Unreadable(format!(
            "the workbook unpacks to {total} bytes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
