//! Reading one cell as a value of a field: dates in the forms people and Excel write them,
//! amounts with currency signs, yes and no in two languages, phone lists, and addresses in
//! one line split into their parts. Every reader takes any text without panicking.

use chrono::{Datelike, NaiveDate};

use super::{Cell, Problem};
use crate::customers::{CustomerKind, Phone, Tier};
use crate::places::Address;

/// A number as a spreadsheet shows it: no `.0` on whole numbers, no exponent for phone-sized
/// ones.
#[must_use]
pub fn number_text(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e16 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// Text as imported: trimmed, runs of white space made one space, full-width letters and
/// digits (which Chinese input methods type) made ordinary, invisible characters dropped.
#[must_use]
pub fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = match c as u32 {
            0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            0x3000 => ' ',
            _ => c,
        };
        if matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}') || (c.is_control() && c != '\n') {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// The text of a cell, or the problem that makes it no text at all.
pub fn text(cell: &Cell) -> Result<String, Problem> {
    match cell {
        Cell::Formula(f) => Err(Problem::Formula(f.clone())),
        // A CSV has no formulas, but a spreadsheet saved as one keeps `=SUM(...)` as text
        // when it was never computed; it is not a value anyone meant.
        Cell::Text(t) if t.trim_start().starts_with('=') => Err(Problem::Formula(t.clone())),
        Cell::Error(e) => Err(Problem::CellError(e.clone())),
        other => Ok(clean(&other.shown())),
    }
}

/// Days from Excel's day 0 to 1970-01-01 would do; chrono counts from the common era.
/// Excel's serial 1 is 1900-01-01, and it counts a 29 February 1900 that never was, so from
/// serial 61 on the epoch is 1899-12-30.
pub(crate) fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let epoch = if days >= 61 {
        NaiveDate::from_ymd_opt(1899, 12, 30)
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)
    }?;
    epoch.checked_add_signed(chrono::Duration::days(days))
}

/// A date: an Excel date cell, an Excel serial number (in a number cell, or as text in a CSV
/// saved from Excel), `2024-03-05`, `2024/3/5`, `2024.3.5`, `2024年3月5日`, `20240305`, or
/// day and month in either order when only one order is a date (`25/03/2024`). A time after
/// the date is ignored.
pub fn date(cell: &Cell) -> Result<NaiveDate, Problem> {
    match cell {
        Cell::Date(d) => return Ok(*d),
        Cell::Number(n) => return from_serial(*n).ok_or(Problem::NotADate(number_text(*n))),
        _ => {}
    }
    let shown = text(cell)?;
    let s = shown
        .split([' ', 'T'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('日');
    let bad = || Problem::NotADate(shown.clone());
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(s, "%Y%m%d").map_err(|_| bad());
    }
    if (1..=7).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<f64>().ok().and_then(from_serial).ok_or_else(bad);
    }
    let parts: Vec<&str> = s.split(['-', '/', '.', '年', '月']).collect();
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().ok())
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let [a, b, c] = nums[..] else {
        return Err(bad());
    };
    if parts[0].len() == 4 {
        return NaiveDate::from_ymd_opt(a as i32, b, c).ok_or_else(bad);
    }
    if parts[2].len() != 4 {
        return Err(bad());
    }
    let year = c as i32;
    let day_first = NaiveDate::from_ymd_opt(year, b, a);
    let month_first = NaiveDate::from_ymd_opt(year, a, b);
    match (day_first, month_first) {
        (Some(d), Some(m)) if d != m => Err(Problem::AmbiguousDate(shown)),
        (Some(d), _) | (None, Some(d)) => Ok(d),
        (None, None) => Err(bad()),
    }
}

/// An amount in minor units: `1,280.50`, `¥1280.5`, `RMB 1 280`, `1280元`, a number cell.
/// Negative amounts and more than two decimals are refused.
pub fn amount(cell: &Cell) -> Result<i64, Problem> {
    if let Cell::Number(n) = cell {
        let minor = (n * 100.0).round();
        return if n.is_finite() && *n >= 0.0 && minor < 9e15 {
            Ok(minor as i64)
        } else {
            Err(Problem::NotAnAmount(number_text(*n)))
        };
    }
    let shown = text(cell)?;
    let bad = || Problem::NotAnAmount(shown.clone());
    let s: String = shown
        .trim_start_matches(|c: char| c.is_alphabetic() && c.is_ascii())
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '¥' | '￥' | '$' | '€' | '£' | '元' | '，'))
        .collect();
    let s = s.trim_end_matches(|c: char| c.is_alphabetic());
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || whole.len() > 13
        || frac.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    Ok(whole * 100 + frac)
}

/// A whole number of days.
pub fn whole(cell: &Cell) -> Result<u32, Problem> {
    if let Cell::Number(n) = cell {
        return if n.fract() == 0.0 && (0.0..=36_500.0).contains(n) {
            Ok(*n as u32)
        } else {
            Err(Problem::NotANumber(number_text(*n)))
        };
    }
    let shown = text(cell)?;
    shown
        .trim_end_matches(['天', 'd', 'D'])
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n <= 36_500)
        .ok_or(Problem::NotANumber(shown))
}

/// A coordinate in degrees.
pub fn degrees(cell: &Cell) -> Result<f64, Problem> {
    match cell {
        Cell::Number(n) => Ok(*n),
        _ => text(cell)?.parse::<f64>().map_err(|_| Problem::BadPosition),
    }
}

/// Yes or no, as spreadsheets and people write it.
pub fn yes_no(cell: &Cell) -> Result<bool, Problem> {
    match cell {
        Cell::Bool(b) => return Ok(*b),
        Cell::Number(n) if *n == 1.0 => return Ok(true),
        Cell::Number(n) if *n == 0.0 => return Ok(false),
        _ => {}
    }
    let shown = text(cell)?;
    match shown.to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" | "✓" | "✔" | "是" | "同意" | "有" | "对" => {
            Ok(true)
        }
        "no" | "n" | "false" | "0" | "否" | "不同意" | "无" | "不" => Ok(false),
        _ => Err(Problem::NotYesOrNo(shown)),
    }
}

pub fn tier(cell: &Cell) -> Result<Tier, Problem> {
    let shown = text(cell)?;
    let t = shown.to_lowercase();
    let t = t.trim_end_matches("member").trim_end_matches("会员").trim();
    match t {
        "standard" | "normal" | "regular" | "basic" | "普通" | "标准" | "普通卡" => {
            Ok(Tier::Standard)
        }
        "silver" | "银" | "银卡" | "白银" => Ok(Tier::Silver),
        "gold" | "金" | "金卡" | "黄金" => Ok(Tier::Gold),
        "diamond" | "platinum" | "vip" | "钻石" | "钻石卡" | "白金" | "铂金" => {
            Ok(Tier::Diamond)
        }
        _ => Err(Problem::UnknownTier(shown)),
    }
}

pub fn kind(cell: &Cell) -> Result<CustomerKind, Problem> {
    let shown = text(cell)?;
    match shown.to_lowercase().as_str() {
        "individual" | "person" | "private" | "consumer" | "个人" | "个人客户" | "散客" => {
            Ok(CustomerKind::Individual)
        }
        "institution" | "school" | "church" | "organisation" | "organization" | "机构" | "学校"
        | "单位" | "教会" => Ok(CustomerKind::Institution),
        "business" | "company" | "corporate" | "b2b" | "企业" | "公司" | "商户" => {
            Ok(CustomerKind::Business)
        }
        _ => Err(Problem::UnknownKind(shown)),
    }
}

/// The phone numbers of one cell: `13812345678 / 021-62345678`, `138...;139...`. Each must be
/// a number Rounds can dial.
pub fn phones(cell: &Cell) -> Result<Vec<String>, Problem> {
    let shown = match cell {
        // 13812345678 stored as a number.
        Cell::Number(n) => number_text(*n),
        _ => text(cell)?,
    };
    let mut out = Vec::new();
    for part in shown.split(['/', ',', ';', '，', '；', '、', '|', '\n']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        if Phone::parse(part).e164.is_none() {
            return Err(Problem::NotAPhone(part.to_owned()));
        }
        out.push(part.to_owned());
    }
    Ok(out)
}

/// Municipalities: the province and the city at once.
const MUNICIPALITIES: [&str; 4] = ["北京市", "上海市", "天津市", "重庆市"];

/// Cuts `s` after the first of `ends` found within `max` characters; `None` when none is.
fn cut<'a>(s: &'a str, ends: &[&str], max: usize) -> Option<(&'a str, &'a str)> {
    let limit = s.char_indices().nth(max).map_or(s.len(), |(i, _)| i);
    ends.iter()
        .filter_map(|e| s[..limit].find(e).map(|i| i + e.len()))
        .filter(|&i| i > 3)
        .min()
        .map(|i| s.split_at(i))
}

/// An address written in one line, split into its parts: Chinese addresses by their
/// administrative suffixes (省, 市, 区, 县, 路, 街 ...), Western ones by commas
/// (`1266 Nanjing West Road, Jing'an, Shanghai`). What cannot be placed stays in the detail,
/// so nothing typed is lost.
#[must_use]
pub fn split_address(line: &str) -> Address {
    let line = clean(line);
    if line.chars().any(crate::lookup::is_han) {
        split_chinese(&line)
    } else {
        split_western(&line)
    }
}

fn split_chinese(line: &str) -> Address {
    let mut a = Address::default();
    let joined = line.replace(' ', "");
    let mut rest_str = joined.as_str();
    if let Some(m) = MUNICIPALITIES
        .iter()
        .find(|m| rest_str.starts_with(**m) || rest_str.starts_with(&m[..6]))
    {
        a.province = (*m).to_owned();
        a.city = (*m).to_owned();
        let skip = if rest_str.starts_with(*m) { m.len() } else { 6 };
        rest_str = &rest_str[skip..];
    } else {
        if let Some((p, r)) = cut(rest_str, &["自治区", "特别行政区", "省"], 8) {
            a.province = p.to_owned();
            rest_str = r;
        }
        if let Some((c, r)) = cut(rest_str, &["自治州", "地区", "市", "盟", "州"], 8) {
            a.city = c.to_owned();
            rest_str = r;
        }
    }
    if let Some((d, r)) = cut(rest_str, &["新区", "区", "县", "旗", "市"], 8) {
        a.district = d.to_owned();
        rest_str = r;
    }
    if let Some((s, r)) = cut(rest_str, &["大道", "胡同", "路", "街", "道", "巷"], 12) {
        a.street = s.to_owned();
        rest_str = r;
    }
    a.detail = rest_str.to_owned();
    a
}

fn split_western(line: &str) -> Address {
    let mut parts: Vec<String> = line
        .split(',')
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    let mut a = Address::default();
    if parts.is_empty() {
        return a;
    }
    let first = parts.remove(0);
    // "1266 Nanjing West Road": the number is the detail, hidden from roles that do not need
    // it, as 88号 is in a Chinese address.
    match first.split_once(' ') {
        Some((n, street)) if n.chars().any(|c| c.is_ascii_digit()) => {
            a.detail = n.to_owned();
            a.street = street.to_owned();
        }
        _ => a.street = first,
    }
    match parts.len() {
        0 => {}
        1 => a.city = parts.remove(0),
        2 => {
            a.district = parts.remove(0);
            a.city = parts.remove(0);
        }
        _ => {
            a.province = parts.pop().unwrap_or_default();
            a.city = parts.pop().unwrap_or_default();
            a.district = parts.pop().unwrap_or_default();
            if !parts.is_empty() {
                let extra = parts.join(", ");
                a.detail = [a.detail.as_str(), extra.as_str()]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
            }
        }
    }
    a
}

/// Whether a date is plausible as a birthday or purchase: after 1900, not in a later year
/// than `today`'s.
#[must_use]
pub fn plausible(d: NaiveDate, today: NaiveDate) -> bool {
    d.year() >= 1900 && d.year() <= today.year() + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_in_every_usual_form() {
        for s in [
            "2024-03-05",
            "2024/3/5",
            "2024.03.05",
            "2024年3月5日",
            "20240305",
            "2024-03-05 14:30:00",
            "2024-03-05T14:30:00",
            "45356",
        ] {
            assert_eq!(date(&t(s)), Ok(ymd(2024, 3, 5)), "{s}");
        }
        assert_eq!(date(&Cell::Number(45356.0)), Ok(ymd(2024, 3, 5)));
        assert_eq!(date(&Cell::Number(45356.75)), Ok(ymd(2024, 3, 5)));
        assert_eq!(date(&Cell::Date(ymd(2024, 3, 5))), Ok(ymd(2024, 3, 5)));
        // Excel's serial 60 is the 29 February 1900 that never was; 59 and 61 are real.
        assert_eq!(date(&Cell::Number(59.0)), Ok(ymd(1900, 2, 28)));
        assert_eq!(date(&Cell::Number(61.0)), Ok(ymd(1900, 3, 1)));
        assert_eq!(date(&t("25/03/2024")), Ok(ymd(2024, 3, 25)));
        assert_eq!(date(&t("03/25/2024")), Ok(ymd(2024, 3, 25)));
        assert_eq!(date(&t("05/05/2024")), Ok(ymd(2024, 5, 5)));
    }

    #[test]
    fn dates_that_are_not_or_could_be_two() {
        assert_eq!(
            date(&t("03/05/2024")),
            Err(Problem::AmbiguousDate("03/05/2024".into()))
        );
        for s in ["2024-13-01", "yesterday", "2024-02-30", "1/2", "-5"] {
            assert!(matches!(date(&t(s)), Err(Problem::NotADate(_))), "{s}");
        }
        assert_eq!(
            date(&Cell::Formula("=TODAY()".into())),
            Err(Problem::Formula("=TODAY()".into()))
        );
        assert_eq!(
            date(&Cell::Error("#N/A".into())),
            Err(Problem::CellError("#N/A".into()))
        );
    }

    #[test]
    fn amounts_with_signs_separators_and_units() {
        for (s, minor) in [
            ("1280", 128_000),
            ("1,280.50", 128_050),
            ("¥1280.5", 128_050),
            ("￥ 1 280", 128_000),
            ("RMB 99.99", 9_999),
            ("1280元", 128_000),
            ("$0.05", 5),
        ] {
            assert_eq!(amount(&t(s)), Ok(minor), "{s}");
        }
        assert_eq!(amount(&Cell::Number(1280.5)), Ok(128_050));
        for s in ["-5", "1.005", "abc", "", "1e5"] {
            assert!(amount(&t(s)).is_err(), "{s}");
        }
    }

    #[test]
    fn yes_no_tier_and_kind_in_both_languages() {
        assert_eq!(yes_no(&t("是")), Ok(true));
        assert_eq!(yes_no(&t("No")), Ok(false));
        assert!(yes_no(&t("maybe")).is_err());
        assert_eq!(tier(&t("金卡会员")), Ok(Tier::Gold));
        assert_eq!(tier(&t("Gold member")), Ok(Tier::Gold));
        assert!(tier(&t("bronze")).is_err());
        assert_eq!(kind(&t("学校")), Ok(CustomerKind::Institution));
        assert_eq!(kind(&t("Company")), Ok(CustomerKind::Business));
    }

    #[test]
    fn phone_cells_with_several_numbers_and_as_numbers() {
        assert_eq!(
            phones(&t("138 1234 5678 / 021-6234 5678")),
            Ok(vec!["138 1234 5678".to_owned(), "021-6234 5678".to_owned()])
        );
        assert_eq!(
            phones(&Cell::Number(13_812_345_678.0)),
            Ok(vec!["13812345678".to_owned()])
        );
        assert_eq!(phones(&t("12345")), Err(Problem::NotAPhone("12345".into())));
        assert_eq!(phones(&t("")), Ok(vec![]));
    }

    #[test]
    fn chinese_addresses_split_into_their_parts() {
        let a = split_address("上海市浦东新区世纪大道88号 2楼");
        assert_eq!(
            (&*a.province, &*a.city, &*a.district, &*a.street, &*a.detail),
            ("上海市", "上海市", "浦东新区", "世纪大道", "88号2楼")
        );
        let a = split_address("广东省深圳市南山区科技园南路15号");
        assert_eq!(
            (&*a.province, &*a.city, &*a.district, &*a.street, &*a.detail),
            ("广东省", "深圳市", "南山区", "科技园南路", "15号")
        );
        let a = split_address("上海徐汇区漕溪北路１２８弄");
        assert_eq!((&*a.city, &*a.district), ("上海市", "徐汇区"));
        assert_eq!((&*a.street, &*a.detail), ("漕溪北路", "128弄"));
    }

    #[test]
    fn western_addresses_split_by_commas() {
        let a = split_address("1266 Nanjing West Road, Jing'an, Shanghai");
        assert_eq!(
            (&*a.detail, &*a.street, &*a.district, &*a.city),
            ("1266", "Nanjing West Road", "Jing'an", "Shanghai")
        );
    }

    #[test]
    fn text_is_cleaned() {
        assert_eq!(clean("  张　伟\u{200B}  "), "张 伟");
        assert_eq!(clean("ＡＢＣ１２３"), "ABC123");
    }

    proptest! {
        #[test]
        fn readers_never_panic(s in "\\PC{0,40}", n in proptest::num::f64::ANY) {
            for cell in [Cell::Text(s.clone()), Cell::Number(n)] {
                let _ = date(&cell);
                let _ = amount(&cell);
                let _ = whole(&cell);
                let _ = yes_no(&cell);
                let _ = phones(&cell);
                let _ = tier(&cell);
                let _ = degrees(&cell);
            }
            let a = split_address(&s);
            // Nothing typed is lost: every non-space character is in some part (a
            // municipality written short, 上海, gains its 市).
            let joined: String = a.one_line().chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
            let typed: String = clean(&s).chars().filter(|c| !c.is_whitespace() && *c != ',').collect();
            prop_assert!(joined.chars().count() >= typed.chars().count());
        }

        #[test]
        fn an_iso_date_reads_back(y in 1900i32..2100, m in 1u32..=12, d in 1u32..=28) {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            prop_assert_eq!(date(&Cell::Text(day.to_string())), Ok(day));
            prop_assert_eq!(date(&Cell::Text(day.format("%Y/%-m/%-d").to_string())), Ok(day));
        }
    }
}
