//! Real files: CSV written as Excel and Chinese tills write them, and .xlsx workbooks made
//! with rust_xlsxwriter (dates, numbers, formulas, error values, a sheet with a header only).

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Formula, Workbook};

use super::*;

fn text(s: &str) -> Cell {
    Cell::Text(s.to_owned())
}

#[test]
fn utf8_csv_with_a_byte_order_mark_and_quoted_commas() {
    let file = "\u{FEFF}姓名,手机,地址\n张伟,13812345678,\"上海市徐汇区漕溪北路88号, 2楼\"\n";
    let (s, format, encoding) = read(file.as_bytes()).unwrap();
    assert_eq!((format, encoding), (Format::Csv, Encoding::Utf8));
    assert_eq!(s.headers, ["姓名", "手机", "地址"]);
    assert_eq!(s.rows[0][2], text("上海市徐汇区漕溪北路88号, 2楼"));
}

#[test]
fn gbk_csv_as_chinese_excel_saves_it() {
    let utf8 = "姓名,手机\r\n張偉,13812345678\r\n王芳,13900001111\r\n";
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(utf8);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "the test file is really GBK"
    );
    let (s, _, encoding) = read(&gbk).unwrap();
    assert_eq!(encoding, Encoding::Gb18030);
    assert_eq!(s.rows[0][0], text("張偉"));
    assert_eq!(s.rows.len(), 2);
}

#[test]
fn text_in_neither_encoding_and_binary_files_are_refused() {
    // Latin-1 "José" is neither UTF-8 nor GBK (0xE9 0x0A is not a GBK pair).
    assert_eq!(read(b"name\nJos\xE9\n"), Err(FileError::UnknownEncoding));
    assert_eq!(read(b"\xFF\xFEn\x00a\x00"), Err(FileError::UnknownFormat));
    assert_eq!(read(b"\xD0\xCF\x11\xE0rest"), Err(FileError::OldExcel));
    assert_eq!(read(b" \n"), Err(FileError::Empty));
    assert_eq!(read(b"name,phone\n"), Err(FileError::NoRows));
    assert!(matches!(
        read(b"PK\x03\x04 not a zip"),
        Err(FileError::Unreadable(_))
    ));
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    assert_eq!(
        read(&big),
        Err(FileError::TooLarge {
            bytes: MAX_FILE_BYTES as u64 + 1,
            limit: MAX_FILE_BYTES as u64
        })
    );
}

#[test]
fn semicolons_ragged_rows_and_formulas_in_csv() {
    let file = "Name;Phone;Total\nAnna;13812345678;=SUM(A1:A3)\nBen;13900001111\n\nCleo;13700002222;5;extra\n";
    let (s, ..) = read(file.as_bytes()).unwrap();
    assert_eq!(s.headers, ["Name", "Phone", "Total"]);
    assert_eq!(s.rows.len(), 3, "the blank line is no row");
    assert_eq!(s.rows[0][2], Cell::Formula("=SUM(A1:A3)".into()));
    assert_eq!(s.rows[1][2], Cell::Empty);
    assert_eq!(s.ragged, vec![(1, 2), (2, 4)]);
    assert_eq!(s.rows[2].len(), 3);
}

#[test]
fn xlsx_cells_keep_their_types() {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let date = XFormat::new().set_num_format("yyyy-mm-dd");
    for (c, h) in [
        "姓名",
        "手机",
        "购买日期",
        "金额",
        "公式",
        "错误",
        "序列日期",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "张伟").unwrap();
    ws.write_number(1, 1, 13_812_345_678.0).unwrap();
    let day = ExcelDateTime::from_ymd(2024, 3, 5).unwrap();
    ws.write_datetime_with_format(1, 2, &day, &date).unwrap();
    ws.write_number(1, 3, 28_000.5).unwrap();
    ws.write_formula(1, 4, Formula::new("=D2*2").set_result("57001"))
        .unwrap();
    ws.write_formula(1, 5, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    // A date Excel lost the format of: a bare serial number.
    ws.write_number(1, 6, 45356.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let (s, format, _) = read(&bytes).unwrap();
    assert_eq!(format, Format::Xlsx);
    assert_eq!(s.headers[2], "购买日期");
    let row = &s.rows[0];
    assert_eq!(row[0], text("张伟"));
    assert_eq!(row[1], Cell::Number(13_812_345_678.0));
    assert_eq!(
        row[2],
        Cell::Date(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())
    );
    assert_eq!(row[3], Cell::Number(28_000.5));
    // A formula is its saved result.
    assert_eq!(row[4].shown(), "57001");
    assert!(
        matches!(row[5], Cell::Error(_) | Cell::Text(_)),
        "{:?}",
        row[5]
    );
    // The readers turn each into the field's value.
    assert_eq!(values::phones(&row[1]), Ok(vec!["13812345678".to_owned()]));
    assert_eq!(
        values::date(&row[6]),
        Ok(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())
    );
    assert_eq!(values::amount(&row[3]), Ok(2_800_050));
}

#[test]
fn a_workbook_with_only_a_header_has_no_rows() {
    let mut book = Workbook::new();
    book.add_worksheet().write_string(0, 0, "Name").unwrap();
    assert_eq!(
        read(&book.save_to_buffer().unwrap()),
        Err(FileError::NoRows)
    );
}
