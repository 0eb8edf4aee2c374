//! Every refusal is worded in each language, by the form's label and never by the wire name.

use std::collections::HashSet;

use super::{Lang, table};
use crate::jobs::{JobAction, JobStatus};
use crate::leads::Stage;
use crate::ops::{Clash, Denied, Field, OpError, Problem, RecordKind, examples};

fn chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Every shape of refusal: each rule, each clash, each check on each field, and the rest.
fn all_errors() -> Vec<OpError> {
    let mut all: Vec<OpError> = Denied::ALL
        .iter()
        .map(|d| OpError::Forbidden(*d))
        .chain(Clash::ALL.iter().map(|c| OpError::Conflict(*c)))
        .collect();
    for field in examples::fields() {
        for problem in examples::problems() {
            all.push(OpError::Invalid { field, problem });
        }
    }
    all.extend([
        OpError::NotFound {
            kind: RecordKind::FollowUp,
            id: uuid::Uuid::nil(),
        },
        OpError::Transition {
            from: JobStatus::Completed,
            action: JobAction::StartTravel,
        },
        OpError::Stage {
            from: Stage::Won,
            to: Stage::New,
        },
        OpError::IdTaken {
            kind: RecordKind::Customer,
        },
        OpError::OpIdUsed,
        OpError::Unavailable("sled: disk full".into()),
    ]);
    all
}

/// Wire names (`phones[0]`, `lost_reason`, `LostReason`) and the storage's own message.
fn leaks(words: &str, error: &OpError) -> Option<String> {
    if words.contains('[') || words.contains('_') || words.contains("sled") {
        return Some("a wire name or the storage's message".into());
    }
    if let OpError::Invalid { field, .. } = error {
        let name = format!("{field:?}");
        let name = name.split('(').next().unwrap_or_default();
        if name.len() > 6 && words.contains(name) {
            return Some(format!("the field's name {name}"));
        }
    }
    None
}

#[test]
fn every_refusal_is_worded_in_each_language_without_wire_names() {
    let mut faults = Vec::new();
    for error in all_errors() {
        let en = table(Lang::English).op_error(&error);
        let zh = table(Lang::SimplifiedChinese).op_error(&error);
        if en.trim().is_empty() || chinese(&en) || !en.ends_with('.') {
            faults.push(format!("{error:?}: en {en:?}"));
        }
        // The skill code is data, shown as typed.
        let zh_words = zh.replace("piano-tuning", "");
        if !chinese(&zh) || zh_words.chars().any(|c| c.is_ascii_alphabetic()) {
            faults.push(format!("{error:?}: zh {zh:?}"));
        }
        for words in [&en, &zh] {
            if let Some(why) = leaks(words, &error) {
                faults.push(format!("{error:?}: {why}: {words:?}"));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn each_rule_each_clash_and_each_field_has_its_own_words() {
    for lang in Lang::ALL {
        let t = table(lang);
        let denied: HashSet<_> = Denied::ALL.iter().map(|d| t.denied(*d)).collect();
        assert_eq!(
            denied.len(),
            Denied::ALL.len(),
            "{lang:?}: two rules share words"
        );
        let clashes: HashSet<_> = Clash::ALL.iter().map(|c| t.clash(*c)).collect();
        assert_eq!(clashes.len(), Clash::ALL.len(), "{lang:?}");
        let fields = examples::fields();
        let labels: HashSet<_> = fields.iter().map(|f| t.field(*f)).collect();
        assert_eq!(
            labels.len(),
            fields.len(),
            "{lang:?}: two fields share a label"
        );
        for f in fields {
            let label = t.field(f);
            assert_eq!(
                chinese(&label),
                lang == Lang::SimplifiedChinese,
                "{f:?}: {label:?}"
            );
        }
    }
}

#[test]
fn errors_say_what_to_do_by_the_forms_label() {
    let lost = OpError::Invalid {
        field: Field::LostReason,
        problem: Problem::Empty,
    };
    assert_eq!(lost.to_string(), "Say why the lead was lost.");
    assert_eq!(
        table(Lang::SimplifiedChinese).op_error(&lost),
        "请填写线索流失的原因。"
    );
    let phone = OpError::Invalid {
        field: Field::Phone(0),
        problem: Problem::NotAPhone,
    };
    assert_eq!(
        phone.to_string(),
        "The first phone number is not a phone number: use digits, with + and the country code if abroad."
    );
    assert!(
        table(Lang::SimplifiedChinese)
            .op_error(&phone)
            .starts_with("第1个电话号码")
    );
    let part = OpError::Invalid {
        field: Field::PartQuantity(11),
        problem: Problem::OutOfRange {
            min: 1,
            max: 10_000,
        },
    };
    assert_eq!(
        part.to_string(),
        "Give the quantity of the 12th part as a number from 1 to 10000."
    );
}

#[test]
fn display_is_the_english_table() {
    for error in all_errors() {
        assert_eq!(error.to_string(), table(Lang::English).op_error(&error));
    }
}

#[test]
fn every_refusal_survives_the_wire_and_storage() {
    for error in all_errors() {
        let json = serde_json::to_string(&error).unwrap();
        let back: OpError = serde_json::from_str(&json).unwrap();
        assert_eq!(back, error, "{json}");
    }
    // The shape the device and the stored outcomes read.
    let json = serde_json::to_value(OpError::Invalid {
        field: Field::Phone(2),
        problem: Problem::TooLong { max: 200 },
    })
    .unwrap();
    assert_eq!(
        json,
        serde_json::json!({"Invalid": {"field": {"Phone": 2}, "problem": {"TooLong": {"max": 200}}}})
    );
}

/// Every field a column can fill, every problem of a row or a file, has words of its own in
/// each language, and the Chinese words carry no English (values quoted from the file aside).
#[test]
fn every_import_word_in_each_language() {
    use crate::import::columns::MappingError;
    use crate::import::{FileError, Problem as P, Target};
    let problems = [
        P::Missing(Target::Name),
        P::NotADate("1".into()),
        P::AmbiguousDate("1".into()),
        P::NotAnAmount("1".into()),
        P::NotANumber("1".into()),
        P::NotYesOrNo("1".into()),
        P::UnknownTier("1".into()),
        P::UnknownKind("1".into()),
        P::NotAPhone("1".into()),
        P::Formula("1".into()),
        P::CellError("1".into()),
        P::UnknownStore("1".into()),
        P::UnknownOwner("1".into()),
        P::BadPosition,
        P::CellCount {
            cells: 2,
            header: 3,
        },
        P::AssetWithoutProduct,
        P::Refused(OpError::OpIdUsed),
    ];
    let files = [
        FileError::TooLarge {
            bytes: 200 << 20,
            limit: 64 << 20,
        },
        FileError::Empty,
        FileError::UnknownEncoding,
        FileError::UnknownFormat,
        FileError::OldExcel,
        FileError::Unreadable("1".into()),
        FileError::NoRows,
        FileError::TooManyRows { rows: 2, limit: 1 },
        FileError::TooManyColumns {
            columns: 2,
            limit: 1,
        },
        FileError::Malformed { line: 3 },
    ];
    let mappings = [
        MappingError::NoName,
        MappingError::Twice(Target::Phone),
        MappingError::HalfPosition,
        MappingError::Width {
            mapping: 1,
            file: 2,
        },
    ];
    for lang in Lang::ALL {
        let t = table(lang);
        let mut words: Vec<String> = Target::ALL
            .iter()
            .map(|x| t.import_target(*x).into())
            .collect();
        let targets: HashSet<&String> = words.iter().collect();
        assert_eq!(
            targets.len(),
            Target::ALL.len(),
            "{lang:?}: two fields share a name"
        );
        let problem_words: HashSet<String> = problems.iter().map(|p| t.import_problem(p)).collect();
        assert_eq!(problem_words.len(), problems.len(), "{lang:?}");
        words.extend(problem_words);
        words.extend(files.iter().map(|e| t.import_file_error(e)));
        words.extend(mappings.iter().map(|e| t.import_mapping_error(*e)));
        if lang == Lang::SimplifiedChinese {
            for w in &words {
                let letters: String = w
                    .replace("UTF-8", "")
                    .replace("GBK", "")
                    .replace("CSV", "")
                    .replace("Excel", "")
                    .replace("Rounds", "")
                    .replace(".xlsx", "")
                    .replace(".xls", "");
                assert!(
                    chinese(w) && !letters.chars().any(|c| c.is_ascii_alphabetic()),
                    "{w}"
                );
            }
        }
    }
    assert_eq!(
        table(Lang::English).import_file_error(&files[0]),
        "The file is 200 MB; Rounds imports files of up to 64 MB. Split it and import the parts one after the other."
    );
    assert_eq!(
        table(Lang::SimplifiedChinese).import_place(4, Some((27, "手机"))),
        "第 4 行，AB 列“手机”"
    );
}
