//! The organization's catalogues: the skills technicians have and jobs need, and the interest
//! categories of leads, each with a name in both languages. The admins' (they are settings).
//! A code, once used, stays: jobs, profiles and leads refer to it, so saving an existing code
//! renames it and nothing is removed.

use super::invalid::{Field, Problem};
use super::records::RecordsExt;
use super::{Ctx, Denied, OpError, Record, RecordKey, Records, checks};
use crate::leads::InterestCategory;
use crate::org::{Role, Skill};

/// The most entries one catalogue holds.
pub const MAX_ENTRIES: usize = 500;
const CODE_MAX: usize = 40;

pub(super) fn save_skill<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    skill: &Skill,
) -> Result<Vec<RecordKey>, OpError> {
    admin(ctx)?;
    code(&skill.code.0)?;
    names(&skill.name_en, &skill.name_zh)?;
    let mut org = records.org(ctx.actor.org)?;
    let entry = Skill {
        code: skill.code.clone(),
        name_en: skill.name_en.trim().to_owned(),
        name_zh: skill.name_zh.trim().to_owned(),
    };
    match org.skills.iter_mut().find(|s| s.code == skill.code) {
        Some(s) if *s == entry => return Ok(Vec::new()),
        Some(s) => *s = entry,
        None => {
            room(org.skills.len())?;
            org.skills.push(entry);
        }
    }
    records.put(Record::Org(org))?;
    Ok(vec![RecordKey::Org(ctx.actor.org)])
}

pub(super) fn save_interest<R: Records + ?Sized>(
    records: &mut R,
    ctx: &Ctx,
    c: &InterestCategory,
) -> Result<Vec<RecordKey>, OpError> {
    admin(ctx)?;
    code(&c.code)?;
    names(&c.name_en, &c.name_zh)?;
    let mut org = records.org(ctx.actor.org)?;
    let entry = InterestCategory {
        code: c.code.clone(),
        name_en: c.name_en.trim().to_owned(),
        name_zh: c.name_zh.trim().to_owned(),
    };
    let list = &mut org.settings.interests;
    match list.iter_mut().find(|s| s.code == c.code) {
        Some(s) if *s == entry => return Ok(Vec::new()),
        Some(s) => *s = entry,
        None => {
            room(list.len())?;
            list.push(entry);
        }
    }
    records.put(Record::Org(org))?;
    Ok(vec![RecordKey::Org(ctx.actor.org)])
}

fn admin(ctx: &Ctx) -> Result<(), OpError> {
    if ctx.actor.has(Role::Admin) {
        Ok(())
    } else {
        Err(OpError::Forbidden(Denied::OnlyAdminChangesSettings))
    }
}

/// A code as jobs and profiles carry it: lower-case letters, digits and dashes.
fn code(c: &str) -> Result<(), OpError> {
    if c.is_empty() {
        return Err(OpError::invalid(Field::CatalogueCode, Problem::Empty));
    }
    if c.len() > CODE_MAX {
        return Err(OpError::invalid(
            Field::CatalogueCode,
            Problem::TooLong { max: CODE_MAX },
        ));
    }
    let shaped = c
        .chars()
        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if !shaped || c.starts_with('-') || c.ends_with('-') {
        return Err(OpError::invalid(Field::CatalogueCode, Problem::NotACode));
    }
    Ok(())
}

fn names(en: &str, zh: &str) -> Result<(), OpError> {
    checks::name(Field::NameEn, en)?;
    checks::name(Field::NameZh, zh)
}

fn room(len: usize) -> Result<(), OpError> {
    if len >= MAX_ENTRIES {
        return Err(OpError::invalid(
            Field::CatalogueCode,
            Problem::TooMany { max: MAX_ENTRIES },
        ));
    }
    Ok(())
}
