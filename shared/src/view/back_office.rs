//! The admin console (`model::back_office`): people with what they hold, stores, technicians'
//! profiles and the catalogues, each row with its form filled in as the records are, so that
//! the shell edits and sends it back. An admin sees the organization; a store's dispatcher
//! the people and stores they run.

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::Word;
use super::format::Ctx;
use super::words::label_set;
use crate::model::Model;
use crate::model::back_office::{
    CatalogueForm, HoursForm, PersonForm, StoreForm, TechnicianForm, show_minute,
};
use domain::ids::{StoreId, UserId};
use domain::jobs::JobStatus;
use domain::ops::records::Link;
use domain::ops::{Record, RecordKind};
use domain::org::{Role, Store, TechnicianProfile, User, WeeklyHours};

label_set! {
    BackOfficeLabels {
        title: BackOffice,
        to_board: ToBoard,
        edit: Edit,
        people: People,
        add_person: AddPerson,
        name: FieldName,
        login: SignInName,
        phone: PersonPhone,
        roles: RolesLabel,
        stores: StoresLabel,
        set_password: SetPassword,
        new_password: NewPassword,
        deactivate: Deactivate,
        reactivate: Reactivate,
        hand_over: HandOverTitle,
        customers_to: CustomersTo,
        leads_to: LeadsTo,
        follow_ups_to: FollowUpsTo,
        jobs_to: JobsTo,
        store_keeps: StoreKeeps,
        back_to_queue: BackToQueue,
        choose: ChooseSomeone,
        technician: TechnicianProfile,
        skills: SkillsLabel,
        working_days: WorkingDays,
        from: HoursFrom,
        to: HoursTo,
        break_at: BreakAt,
        break_minutes: BreakMinutes,
        home_base: HomeBase,
        max_jobs: MaxJobs,
        store: StoreLabel,
        add_store: AddStore,
        store_name: StoreNameLabel,
        province: FieldProvince,
        city: FieldCity,
        district: FieldDistrict,
        street: FieldStreet,
        detail: FieldDetail,
        position: Position,
        time_zone: TimeZone,
        opening_hours: OpeningHoursLabel,
        catalogue: Catalogue,
        interests: InterestCategories,
        code: Code,
        name_en: EnglishName,
        name_zh: ChineseName,
        add_or_rename: AddOrRename,
    }
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BackOfficeView {
    pub people: Vec<PersonRow>,
    pub stores: Vec<StoreRow>,
    /// Blank forms for a new person and a new store (`None`: the viewer may not add stores).
    pub new_person: PersonForm,
    pub new_store: Option<StoreForm>,
    /// The roles and stores the viewer may give (a dispatcher: no admin, their stores).
    pub roles: Vec<RoleChoice>,
    pub store_choices: Vec<StoreChoice>,
    /// The seven weekdays in order (1 = Monday), for the hours' boxes.
    pub weekdays: Vec<DayChoice>,
    pub skills: Vec<CatalogueRow>,
    pub interests: Vec<CatalogueRow>,
    /// The catalogues are the admins' to change.
    pub can_edit_catalogue: bool,
    pub settings: Option<super::settings::SettingsView>,
    /// Customers from a file (`imports`).
    pub import: super::imports::ImportView,
    /// The KPIs of the stores the viewer runs (`numbers`).
    pub numbers: super::numbers::NumbersView,
    /// The audit of reads and writes, for admins (`audit`).
    pub audit: Option<super::audit::AuditView>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct RoleChoice {
    pub role: Role,
    pub label: Word,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StoreChoice {
    pub id: StoreId,
    pub name: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct DayChoice {
    pub day: u8,
    pub label: Word,
}

/// Someone who could take over a leaver's work.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Heir {
    pub id: UserId,
    pub name: String,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PersonRow {
    pub id: UserId,
    pub name: String,
    pub login: String,
    pub roles_text: Word,
    pub stores_text: String,
    pub active: bool,
    pub status: Word,
    /// "Holds 3 customers, 12 open follow-ups".
    pub holds: Word,
    /// The viewer may change this person (not themselves: their own access is another's).
    pub editable: bool,
    pub form: PersonForm,
    /// Who may take their customers, leads and follow-ups (staff of one of their stores), and
    /// their jobs (technicians of one of their stores).
    pub heirs: Vec<Heir>,
    pub technician_heirs: Vec<Heir>,
    /// Their working profile, for a technician.
    pub technician: Option<TechnicianForm>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StoreRow {
    pub id: StoreId,
    pub name: String,
    pub address: String,
    pub hours_text: Word,
    pub editable: bool,
    pub form: StoreForm,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CatalogueRow {
    pub code: String,
    /// The name in the viewer's language.
    pub name: Word,
    pub form: CatalogueForm,
}

/// For admins and dispatchers; `None` for anyone else.
pub(crate) fn view(model: &Model, ctx: &Ctx, me: &User) -> Option<BackOfficeView> {
    if !me.has(Role::Admin) && !me.has(Role::Dispatcher) {
        return None;
    }
    let admin = me.has(Role::Admin);
    let zh = ctx.t.lang() == domain::words::Lang::SimplifiedChinese;
    let mut stores: Vec<&Store> = model
        .replica
        .of_kind(RecordKind::Store)
        .filter_map(|r| match r {
            Record::Store(s) => Some(s),
            _ => None,
        })
        .collect();
    stores.sort_by(|a, b| a.name.cmp(&b.name));
    let store_name = |id: &StoreId| {
        stores
            .iter()
            .find(|s| s.id == *id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let mut users: Vec<&User> = model
        .replica
        .users()
        .filter(|u| admin || u.stores.iter().any(|s| me.manages_store(*s)))
        .collect();
    users.sort_by(|a, b| (!a.active, &a.name).cmp(&(!b.active, &b.name)));
    let people = users
        .iter()
        .map(|u| person(model, ctx, me, u, &users, &store_name))
        .collect();
    let roles = [Role::Admin, Role::Dispatcher, Role::Technician, Role::Sales]
        .into_iter()
        .filter(|r| admin || *r != Role::Admin)
        .map(|role| RoleChoice {
            role,
            label: Word::new(ctx.t.role(role)),
        })
        .collect();
    let store_choices = stores
        .iter()
        .filter(|s| me.manages_store(s.id))
        .map(|s| StoreChoice {
            id: s.id,
            name: s.name.clone(),
        })
        .collect();
    let weekdays = (1..=7u8)
        .filter_map(|d| {
            let day = chrono::Weekday::try_from(d - 1).ok()?;
            Some(DayChoice {
                day: d,
                label: Word::new(ctx.t.weekday(day)),
            })
        })
        .collect();
    let catalogue = |code: &str, en: &str, zh_name: &str| CatalogueRow {
        code: code.to_owned(),
        name: Word::new(if zh { zh_name } else { en }),
        form: CatalogueForm {
            code: code.to_owned(),
            name_en: en.to_owned(),
            name_zh: zh_name.to_owned(),
        },
    };
    let (skills, interests) = match ctx.org {
        Some(o) => (
            o.skills
                .iter()
                .map(|s| catalogue(&s.code.0, &s.name_en, &s.name_zh))
                .collect(),
            o.settings
                .interests
                .iter()
                .map(|c| catalogue(&c.code, &c.name_en, &c.name_zh))
                .collect(),
        ),
        None => (Vec::new(), Vec::new()),
    };
    Some(BackOfficeView {
        people,
        stores: stores
            .iter()
            .filter(|s| admin || me.manages_store(s.id))
            .map(|s| store(ctx, me, s))
            .collect(),
        new_person: PersonForm {
            roles: vec![Role::Technician],
            stores: me.stores.first().copied().into_iter().collect(),
            ..PersonForm::default()
        },
        new_store: admin.then(|| StoreForm {
            time_zone: ctx.tz.name().to_owned(),
            hours: HoursForm {
                days: vec![1, 2, 3, 4, 5, 6, 7],
                from: "09:00".into(),
                to: "21:00".into(),
            },
            ..StoreForm::default()
        }),
        roles,
        store_choices,
        weekdays,
        skills,
        interests,
        can_edit_catalogue: admin,
        settings: super::settings::view(model, ctx, me),
        import: super::imports::view(model, ctx),
        numbers: super::numbers::view(model, ctx),
        audit: super::audit::view(model, ctx, me),
    })
}

fn person(
    model: &Model,
    ctx: &Ctx,
    me: &User,
    u: &User,
    everyone: &[&User],
    store_name: &dyn Fn(&StoreId) -> String,
) -> PersonRow {
    // What they hold, through the holder index: no pass over every record per person.
    let (mut customers, mut leads, mut follow_ups, mut jobs) = (0, 0, 0, 0);
    for r in model.replica.linked(Link::Holder(u.id)) {
        match r {
            Record::Customer(c) if c.owner == Some(u.id) && c.merged_into.is_none() => {
                customers += 1;
            }
            Record::Lead(l) if l.owner == u.id && l.stage.is_open() => leads += 1,
            Record::FollowUp(f) if f.owner == u.id && f.is_open() => follow_ups += 1,
            Record::Job(j) if j.status == JobStatus::Assigned => jobs += 1,
            _ => {}
        }
    }
    let shares_store =
        |o: &&&User| o.id != u.id && o.active && o.stores.iter().any(|s| u.in_store(*s));
    let heirs = everyone
        .iter()
        .filter(shares_store)
        .filter(|o| o.has(Role::Sales) || o.has(Role::Dispatcher))
        .map(|o| Heir {
            id: o.id,
            name: o.name.clone(),
        })
        .collect();
    let technician_heirs = everyone
        .iter()
        .filter(shares_store)
        .filter(|o| o.has(Role::Technician))
        .map(|o| Heir {
            id: o.id,
            name: o.name.clone(),
        })
        .collect();
    let technician = u.roles.contains(&Role::Technician).then(|| {
        match model
            .replica
            .record(&domain::ops::RecordKey::Technician(u.id))
        {
            Some(Record::Technician(p)) => profile_form(p),
            _ => TechnicianForm {
                user: u.id,
                store: u
                    .stores
                    .first()
                    .copied()
                    .unwrap_or(StoreId(uuid::Uuid::nil())),
                hours: HoursForm {
                    days: vec![1, 2, 3, 4, 5],
                    from: "09:00".into(),
                    to: "18:00".into(),
                },
                max_jobs: "6".into(),
                ..TechnicianForm::default()
            },
        }
    });
    let roles_text = u
        .roles
        .iter()
        .map(|r| ctx.t.role(*r))
        .collect::<Vec<_>>()
        .join(" · ");
    PersonRow {
        id: u.id,
        name: u.name.clone(),
        login: u.login.clone(),
        roles_text: Word::new(roles_text),
        stores_text: u
            .stores
            .iter()
            .map(store_name)
            .collect::<Vec<_>>()
            .join(" · "),
        active: u.active,
        status: Word::label(
            ctx.t,
            if u.active {
                domain::words::Label::ActiveStatus
            } else {
                domain::words::Label::Deactivated
            },
        ),
        holds: Word::new(ctx.t.holdings(customers, leads, follow_ups, jobs)),
        editable: me.manages_person(u),
        form: PersonForm {
            user: Some(u.id),
            name: u.name.clone(),
            login: u.login.clone(),
            phone: u.phone.clone().unwrap_or_default(),
            roles: u.roles.clone(),
            stores: u.stores.clone(),
        },
        heirs,
        technician_heirs,
        technician,
    }
}

/// Uniform hours as the form shows them: the days, and the first interval's from and to.
fn hours_form(h: &WeeklyHours) -> HoursForm {
    let mut days: Vec<u8> = h.0.iter().map(|d| d.weekday).collect();
    days.sort_unstable();
    days.dedup();
    let first = h.0.first();
    HoursForm {
        days,
        from: first.map(|d| show_minute(d.start)).unwrap_or_default(),
        to: first.map(|d| show_minute(d.end)).unwrap_or_default(),
    }
}

fn profile_form(p: &TechnicianProfile) -> TechnicianForm {
    let brk = p.breaks.first();
    TechnicianForm {
        user: p.user,
        store: p.store,
        skills: p.skills.iter().map(|s| s.0.clone()).collect(),
        hours: hours_form(&p.working_hours),
        break_at: brk.map(|b| show_minute(b.start)).unwrap_or_default(),
        break_minutes: brk.map(|b| b.minutes.to_string()).unwrap_or_default(),
        home_lat: format!("{:.5}", p.home_base.lat),
        home_lng: format!("{:.5}", p.home_base.lng),
        max_jobs: p.max_jobs_per_day.to_string(),
    }
}

fn store(ctx: &Ctx, me: &User, s: &Store) -> StoreRow {
    let h = hours_form(&s.opening_hours);
    let days = h
        .days
        .iter()
        .filter_map(|d| chrono::Weekday::try_from(d.saturating_sub(1)).ok())
        .map(|d| ctx.t.weekday(d))
        .collect::<Vec<_>>()
        .join(" ");
    let a = &s.address;
    StoreRow {
        id: s.id,
        name: s.name.clone(),
        address: format!(
            "{}{}{}{}{}",
            a.province, a.city, a.district, a.street, a.detail
        ),
        hours_text: Word::new(format!("{days} {}–{}", h.from, h.to)),
        editable: me.manages_store(s.id),
        form: StoreForm {
            id: Some(s.id),
            name: s.name.clone(),
            province: a.province.clone(),
            city: a.city.clone(),
            district: a.district.clone(),
            street: a.street.clone(),
            detail: a.detail.clone(),
            lat: format!("{:.5}", s.location.lat),
            lng: format!("{:.5}", s.location.lng),
            time_zone: s.time_zone.name().to_owned(),
            hours: h,
        },
    }
}
