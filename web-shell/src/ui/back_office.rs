//! The admin console (a desktop screen): people with what they hold, a person's form, password,
//! technician's profile and deactivation with hand-over; stores; the catalogues; settings.
//! Every form starts as the view model fills it and goes back whole as one event; the core
//! makes one op of it (or, for a password, one request) and words any refusal.

use domain::ids::{StoreId, UserId};
use domain::org::Role;
use leptos::callback::Callable;
use leptos::prelude::*;
use shared::model::back_office::{
    BackOfficeEvent, CatalogueForm, ConsolePage, HandOverForm, HoursForm, PersonForm, StoreForm,
    TechnicianForm,
};
use shared::model::{DispatcherEvent, Event};
use shared::view::back_office::{BackOfficeView, Heir, PersonRow, StoreRow};
use shared::view::{DispatcherScreen, Screen};

use crate::w;
use crate::{Dispatch, use_dispatch, use_view};

fn send(dispatch: Dispatch, e: BackOfficeEvent) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::BackOffice(e)));
}

/// A link between the console's two pages.
#[component]
pub fn ConsoleLink(page: ConsolePage) -> impl IntoView {
    let dispatch = use_dispatch();
    let (words, testid) = match page {
        ConsolePage::BackOffice => (w!(dispatcher.back_office).into_any(), "to-back-office"),
        _ => (w!(back_office.to_board).into_any(), "to-board"),
    };
    view! {
        <button class="chip" data-testid=testid
            on:click=move |_| dispatch.run(Event::Dispatcher(DispatcherEvent::Console(page)))>
            {words}
        </button>
    }
}

#[component]
pub fn BackOffice() -> impl IntoView {
    let view = use_view();
    let v = Memo::new(move |_| {
        view.with(|v| match &v.screen {
            Screen::Dispatcher(DispatcherScreen::BackOffice(b)) => Some(b.clone()),
            _ => None,
        })
    });
    // The person or store whose form is open (`None` with `adding`: a new one).
    let person = RwSignal::new(None::<UserId>);
    let adding_person = RwSignal::new(false);
    let store = RwSignal::new(None::<StoreId>);
    let adding_store = RwSignal::new(false);
    let settings = Memo::new(move |_| v.with(|b| b.as_ref().and_then(|b| b.settings.clone())));
    view! {
        <div class="board back-office" data-testid="back-office">
            <div class="col wide-col">
                <div class="card">
                    <div class="row">
                        <h2>{w!(back_office.title)}</h2>
                        <ConsoleLink page=ConsolePage::Board/>
                    </div>
                    <h3>{w!(back_office.people)}</h3>
                    <button class="chip" data-testid="add-person"
                        on:click=move |_| { person.set(None); adding_person.set(true); }>
                        "+ "{w!(back_office.add_person)}
                    </button>
                    <People v=v open=person adding=adding_person/>
                </div>
                <div class="card">
                    <h3>{w!(back_office.stores)}</h3>
                    <Show when=move || v.with(|b| b.as_ref().is_some_and(|b| b.new_store.is_some()))>
                        <button class="chip" data-testid="add-store"
                            on:click=move |_| { store.set(None); adding_store.set(true); }>
                            "+ "{w!(back_office.add_store)}
                        </button>
                    </Show>
                    <Stores v=v open=store adding=adding_store/>
                </div>
                <super::numbers::Numbers v=v/>
                <super::imports::Import v=v/>
                <super::audit::Audit v=v/>
            </div>
            <div class="col">
                <PersonPanel v=v open=person adding=adding_person/>
                <StorePanel v=v open=store adding=adding_store/>
                <Catalogue v=v/>
                <super::dispatcher::Settings settings=settings/>
            </div>
        </div>
    }
}

#[component]
fn People(
    v: Memo<Option<BackOfficeView>>,
    open: RwSignal<Option<UserId>>,
    adding: RwSignal<bool>,
) -> impl IntoView {
    let rows = move || {
        v.with(|b| b.as_ref().map(|b| b.people.clone()).unwrap_or_default())
            .into_iter()
            .map(|p| {
                let id = p.id;
                view! {
                    <tr data-testid="person" data-login=p.login.clone() class:inactive=!p.active
                        class:selected=move || open.get() == Some(id)>
                        <td>{p.name.clone()}</td>
                        <td class="muted">{p.login.clone()}</td>
                        <td>{p.roles_text.text.clone()}</td>
                        <td class="small">{p.stores_text.clone()}</td>
                        <td data-testid="person-status">{p.status.text.clone()}</td>
                        <td class="small holds" data-testid="person-holds">{p.holds.text.clone()}</td>
                        <td>{edit_button(p.editable, "person-edit", move || { adding.set(false); open.set(Some(id)); })}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! { <table class="people small"><tbody>{rows}</tbody></table> }
}

/// A row's Edit button, where the viewer may change the row.
fn edit_button(editable: bool, testid: &'static str, open: impl Fn() + 'static) -> impl IntoView {
    editable.then(|| {
        view! {
            <button class="chip" data-testid=testid on:click=move |_| open()>
                {w!(back_office.edit)}
            </button>
        }
    })
}

/// The open person's forms, rebuilt when another is opened; what is typed stays until saved.
#[component]
fn PersonPanel(
    v: Memo<Option<BackOfficeView>>,
    open: RwSignal<Option<UserId>>,
    adding: RwSignal<bool>,
) -> impl IntoView {
    let chosen = Memo::new(move |_| {
        let id = open.get();
        let adding = adding.get();
        v.with_untracked(|b| {
            let b = b.as_ref()?;
            if adding {
                return Some((None, b.new_person.clone()));
            }
            let p = b.people.iter().find(|p| Some(p.id) == id)?;
            Some((Some(p.clone()), p.form.clone()))
        })
    });
    move || {
        chosen.get().map(|(row, form)| {
            view! {
                <div class="card" data-testid="person-panel">
                    <PersonEditor v=v form=form/>
                    {row.map(|row| view! { <PersonAccess row=row v=v/> })}
                </div>
            }
        })
    }
}

fn text_field(
    label: impl IntoView + 'static,
    value: RwSignal<String>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <label>{label}
            <input data-testid=testid prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        </label>
    }
}

/// Boxes for a list of choices; `picked` holds the chosen ones.
fn boxes<T: Copy + PartialEq + Send + Sync + 'static>(
    choices: Vec<(T, String)>,
    picked: RwSignal<Vec<T>>,
    testid: &'static str,
) -> impl IntoView {
    choices
        .into_iter()
        .map(|(value, label)| {
            view! {
                <label class="chip-box">
                    <input type="checkbox" data-testid=testid data-value=label.clone()
                        prop:checked=move || picked.with(|p| p.contains(&value))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            picked.update(|p| {
                                p.retain(|x| *x != value);
                                if on {
                                    p.push(value);
                                }
                            });
                        }/>
                    {label}
                </label>
            }
        })
        .collect_view()
}

#[component]
fn PersonEditor(v: Memo<Option<BackOfficeView>>, form: PersonForm) -> impl IntoView {
    let dispatch = use_dispatch();
    let user = form.user;
    let name = RwSignal::new(form.name);
    let login = RwSignal::new(form.login);
    let phone = RwSignal::new(form.phone);
    let roles = RwSignal::new(form.roles);
    let stores = RwSignal::new(form.stores);
    let role_choices = v.with_untracked(|b| {
        b.as_ref()
            .map(|b| {
                b.roles
                    .iter()
                    .map(|r| (r.role, r.label.text.clone()))
                    .collect::<Vec<(Role, String)>>()
            })
            .unwrap_or_default()
    });
    let store_choices = v.with_untracked(|b| {
        b.as_ref()
            .map(|b| {
                b.store_choices
                    .iter()
                    .map(|s| (s.id, s.name.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let save = move |_| {
        send(
            dispatch,
            BackOfficeEvent::SavePerson(PersonForm {
                user,
                name: name.get_untracked(),
                login: login.get_untracked(),
                phone: phone.get_untracked(),
                roles: roles.get_untracked(),
                stores: stores.get_untracked(),
            }),
        );
    };
    view! {
        <div class="form" data-testid="person-form">
            <h3>{move || if user.is_none() { w!(back_office.add_person)() } else { name.get() }}</h3>
            {text_field(w!(back_office.name), name, "person-name")}
            <Show when=move || user.is_none()
                fallback=move || view! { <p class="muted small">{w!(back_office.login)}": "{login.get_untracked()}</p> }>
                {text_field(w!(back_office.login), login, "person-login")}
            </Show>
            {text_field(w!(back_office.phone), phone, "person-phone")}
            <div class="small"><span class="muted">{w!(back_office.roles)}" "</span>{boxes(role_choices, roles, "person-role")}</div>
            <div class="small"><span class="muted">{w!(back_office.stores)}" "</span>{boxes(store_choices, stores, "person-store")}</div>
            <button class="primary" data-testid="person-save" on:click=save>{w!(frame.save)}</button>
        </div>
    }
}

/// A person's password, profile and leaving: only for someone who is already saved.
#[component]
fn PersonAccess(row: PersonRow, v: Memo<Option<BackOfficeView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let user = row.id;
    let password = RwSignal::new(String::new());
    let set_password = move |_| {
        send(
            dispatch,
            BackOfficeEvent::SetPassword {
                user,
                password: password.get_untracked(),
            },
        );
        password.set(String::new());
    };
    let profile = row
        .technician
        .clone()
        .map(|form| view! { <TechnicianEditor v=v form=form/> });
    view! {
        <div class="form">
            <label>{w!(back_office.new_password)}
                <input type="password" autocomplete="new-password" data-testid="password"
                    prop:value=move || password.get()
                    on:input=move |ev| password.set(event_target_value(&ev))/>
            </label>
            <button class="chip" data-testid="password-set" on:click=set_password>{w!(back_office.set_password)}</button>
        </div>
        {profile}
        <Leaving row=row/>
    }
}

/// Deactivating hands the person's open work to the people picked, in one op.
#[component]
fn Leaving(row: PersonRow) -> impl IntoView {
    let dispatch = use_dispatch();
    let user = row.id;
    if !row.active {
        return view! {
            <button class="chip" data-testid="reactivate"
                on:click=move |_| send(dispatch, BackOfficeEvent::Reactivate(user))>
                {w!(back_office.reactivate)}
            </button>
        }
        .into_any();
    }
    let customers = RwSignal::new(None::<UserId>);
    let leads = RwSignal::new(None::<UserId>);
    let follow_ups = RwSignal::new(None::<UserId>);
    let jobs = RwSignal::new(None::<UserId>);
    let deactivate = move |_| {
        send(
            dispatch,
            BackOfficeEvent::Deactivate {
                user,
                hand_over: HandOverForm {
                    customers: customers.get_untracked(),
                    leads: leads.get_untracked(),
                    follow_ups: follow_ups.get_untracked(),
                    jobs: jobs.get_untracked(),
                },
            },
        );
    };
    view! {
        <div class="form" data-testid="leaving">
            <h4>{w!(back_office.hand_over)}</h4>
            <p class="muted small">{row.holds.text.clone()}</p>
            <label>{w!(back_office.customers_to)}{heir_select(row.heirs.clone(), customers, w!(back_office.store_keeps), "hand-customers")}</label>
            <label>{w!(back_office.leads_to)}{heir_select(row.heirs.clone(), leads, w!(back_office.choose), "hand-leads")}</label>
            <label>{w!(back_office.follow_ups_to)}{heir_select(row.heirs.clone(), follow_ups, w!(back_office.choose), "hand-follow-ups")}</label>
            <label>{w!(back_office.jobs_to)}{heir_select(row.technician_heirs.clone(), jobs, w!(back_office.back_to_queue), "hand-jobs")}</label>
            <button class="danger" data-testid="deactivate" on:click=deactivate>{w!(back_office.deactivate)}</button>
        </div>
    }
    .into_any()
}

fn heir_select(
    heirs: Vec<Heir>,
    chosen: RwSignal<Option<UserId>>,
    none: impl IntoView + 'static,
    testid: &'static str,
) -> impl IntoView {
    let options = heirs
        .iter()
        .map(|h| view! { <option value=h.id.0.to_string()>{h.name.clone()}</option> })
        .collect_view();
    view! {
        <select class="small" data-testid=testid on:change=move |ev| {
            let value = event_target_value(&ev);
            chosen.set(heirs.iter().find(|h| h.id.0.to_string() == value).map(|h| h.id));
        }>
            <option value="" selected=true>{none}</option>
            {options}
        </select>
    }
}

/// Working days and hours as boxes and two times.
fn hours_fields(
    v: Memo<Option<BackOfficeView>>,
    days: RwSignal<Vec<u8>>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    prefix: &'static str,
) -> impl IntoView {
    let weekdays = v.with_untracked(|b| {
        b.as_ref()
            .map(|b| {
                b.weekdays
                    .iter()
                    .map(|d| (d.day, d.label.text.clone()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let (days_id, from_id, to_id) = match prefix {
        "store" => ("store-day", "store-from", "store-to"),
        _ => ("tech-day", "tech-from", "tech-to"),
    };
    view! {
        <div class="small">{boxes(weekdays, days, days_id)}</div>
        <div class="row">
            {text_field(w!(back_office.from), from, from_id)}
            {text_field(w!(back_office.to), to, to_id)}
        </div>
    }
}

#[component]
fn TechnicianEditor(v: Memo<Option<BackOfficeView>>, form: TechnicianForm) -> impl IntoView {
    let dispatch = use_dispatch();
    let user = form.user;
    let store = RwSignal::new(form.store);
    let skills = RwSignal::new(form.skills);
    let days = RwSignal::new(form.hours.days);
    let from = RwSignal::new(form.hours.from);
    let to = RwSignal::new(form.hours.to);
    let break_at = RwSignal::new(form.break_at);
    let break_minutes = RwSignal::new(form.break_minutes);
    let home_lat = RwSignal::new(form.home_lat);
    let home_lng = RwSignal::new(form.home_lng);
    let max_jobs = RwSignal::new(form.max_jobs);
    let (skill_choices, store_choices) = v.with_untracked(|b| {
        b.as_ref()
            .map(|b| {
                (
                    b.skills
                        .iter()
                        .map(|s| (s.code.clone(), s.name.text.clone()))
                        .collect::<Vec<_>>(),
                    b.store_choices.clone(),
                )
            })
            .unwrap_or_default()
    });
    let skill_boxes = skill_choices
        .into_iter()
        .map(|(code, label)| {
            let c = code.clone();
            view! {
                <label class="chip-box">
                    <input type="checkbox" data-testid="tech-skill" data-code=code.clone()
                        prop:checked=move || skills.with(|s| s.contains(&c))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            skills.update(|s| {
                                s.retain(|x| *x != code);
                                if on {
                                    s.push(code.clone());
                                }
                            });
                        }/>
                    {label}
                </label>
            }
        })
        .collect_view();
    let store_options = store_choices
        .iter()
        .map(|s| {
            let id = s.id;
            view! { <option value=id.0.to_string() selected=move || store.get() == id>{s.name.clone()}</option> }
        })
        .collect_view();
    let save = move |_| {
        send(
            dispatch,
            BackOfficeEvent::SaveTechnician(TechnicianForm {
                user,
                store: store.get_untracked(),
                skills: skills.get_untracked(),
                hours: HoursForm {
                    days: days.get_untracked(),
                    from: from.get_untracked(),
                    to: to.get_untracked(),
                },
                break_at: break_at.get_untracked(),
                break_minutes: break_minutes.get_untracked(),
                home_lat: home_lat.get_untracked(),
                home_lng: home_lng.get_untracked(),
                max_jobs: max_jobs.get_untracked(),
            }),
        );
    };
    view! {
        <div class="form" data-testid="technician-form">
            <h4>{w!(back_office.technician)}</h4>
            <label>{w!(back_office.store)}
                <select class="small" data-testid="tech-store" on:change=move |ev| {
                    let value = event_target_value(&ev);
                    if let Some(s) = store_choices.iter().find(|s| s.id.0.to_string() == value) {
                        store.set(s.id);
                    }
                }>{store_options}</select>
            </label>
            <div class="small"><span class="muted">{w!(back_office.skills)}" "</span>{skill_boxes}</div>
            <span class="muted small">{w!(back_office.working_days)}</span>
            {hours_fields(v, days, from, to, "tech")}
            <div class="row">
                {text_field(w!(back_office.break_at), break_at, "tech-break-at")}
                {text_field(w!(back_office.break_minutes), break_minutes, "tech-break-minutes")}
            </div>
            <span class="muted small">{w!(back_office.home_base)}</span>
            <div class="row">
                <input data-testid="tech-home-lat" prop:value=move || home_lat.get() on:input=move |ev| home_lat.set(event_target_value(&ev))/>
                <input data-testid="tech-home-lng" prop:value=move || home_lng.get() on:input=move |ev| home_lng.set(event_target_value(&ev))/>
            </div>
            {text_field(w!(back_office.max_jobs), max_jobs, "tech-max-jobs")}
            <button class="primary" data-testid="tech-save" on:click=save>{w!(frame.save)}</button>
        </div>
    }
}

#[component]
fn Stores(
    v: Memo<Option<BackOfficeView>>,
    open: RwSignal<Option<StoreId>>,
    adding: RwSignal<bool>,
) -> impl IntoView {
    let rows = move || {
        v.with(|b| b.as_ref().map(|b| b.stores.clone()).unwrap_or_default())
            .into_iter()
            .map(|s: StoreRow| {
                let id = s.id;
                view! {
                    <tr data-testid="store-row">
                        <td>{s.name.clone()}</td>
                        <td class="small">{s.address.clone()}</td>
                        <td class="small">{s.hours_text.text.clone()}</td>
                        <td>{edit_button(s.editable, "store-edit", move || { adding.set(false); open.set(Some(id)); })}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! { <table class="small"><tbody>{rows}</tbody></table> }
}

#[component]
fn StorePanel(
    v: Memo<Option<BackOfficeView>>,
    open: RwSignal<Option<StoreId>>,
    adding: RwSignal<bool>,
) -> impl IntoView {
    let chosen = Memo::new(move |_| {
        let id = open.get();
        let adding = adding.get();
        v.with_untracked(|b| {
            let b = b.as_ref()?;
            if adding {
                return b.new_store.clone();
            }
            b.stores
                .iter()
                .find(|s| Some(s.id) == id)
                .map(|s| s.form.clone())
        })
    });
    move || {
        chosen
            .get()
            .map(|form| view! { <StoreEditor v=v form=form/> })
    }
}

#[component]
fn StoreEditor(v: Memo<Option<BackOfficeView>>, form: StoreForm) -> impl IntoView {
    let dispatch = use_dispatch();
    let id = form.id;
    let name = RwSignal::new(form.name);
    let province = RwSignal::new(form.province);
    let city = RwSignal::new(form.city);
    let district = RwSignal::new(form.district);
    let street = RwSignal::new(form.street);
    let detail = RwSignal::new(form.detail);
    let lat = RwSignal::new(form.lat);
    let lng = RwSignal::new(form.lng);
    let time_zone = RwSignal::new(form.time_zone);
    let days = RwSignal::new(form.hours.days);
    let from = RwSignal::new(form.hours.from);
    let to = RwSignal::new(form.hours.to);
    let save = move |_| {
        send(
            dispatch,
            BackOfficeEvent::SaveStore(StoreForm {
                id,
                name: name.get_untracked(),
                province: province.get_untracked(),
                city: city.get_untracked(),
                district: district.get_untracked(),
                street: street.get_untracked(),
                detail: detail.get_untracked(),
                lat: lat.get_untracked(),
                lng: lng.get_untracked(),
                time_zone: time_zone.get_untracked(),
                hours: HoursForm {
                    days: days.get_untracked(),
                    from: from.get_untracked(),
                    to: to.get_untracked(),
                },
            }),
        );
    };
    view! {
        <div class="card form" data-testid="store-form">
            <h3>{move || if id.is_none() { w!(back_office.add_store)() } else { name.get() }}</h3>
            {text_field(w!(back_office.store_name), name, "store-name")}
            <div class="row">
                {text_field(w!(back_office.province), province, "store-province")}
                {text_field(w!(back_office.city), city, "store-city")}
                {text_field(w!(back_office.district), district, "store-district")}
            </div>
            {text_field(w!(back_office.street), street, "store-street")}
            {text_field(w!(back_office.detail), detail, "store-detail")}
            <span class="muted small">{w!(back_office.position)}</span>
            <div class="row">
                <input data-testid="store-lat" prop:value=move || lat.get() on:input=move |ev| lat.set(event_target_value(&ev))/>
                <input data-testid="store-lng" prop:value=move || lng.get() on:input=move |ev| lng.set(event_target_value(&ev))/>
            </div>
            {text_field(w!(back_office.time_zone), time_zone, "store-time-zone")}
            <span class="muted small">{w!(back_office.opening_hours)}</span>
            {hours_fields(v, days, from, to, "store")}
            <button class="primary" data-testid="store-save" on:click=save>{w!(frame.save)}</button>
        </div>
    }
}

/// The skills and interest categories: lists, and one form each to add a code or rename one.
#[component]
fn Catalogue(v: Memo<Option<BackOfficeView>>) -> impl IntoView {
    let list = move |interests: bool| {
        move || {
            v.with(|b| {
                b.as_ref()
                    .map(|b| if interests { b.interests.clone() } else { b.skills.clone() })
                    .unwrap_or_default()
            })
            .into_iter()
            .map(|c| {
                view! {
                    <li data-testid=if interests { "interest" } else { "skill" } data-code=c.code.clone()>
                        <code>{c.code.clone()}</code>" "{c.name.text.clone()}
                    </li>
                }
            })
            .collect_view()
        }
    };
    view! {
        <Show when=move || v.with(|b| b.as_ref().is_some_and(|b| b.can_edit_catalogue))>
            <div class="card" data-testid="catalogue">
                <h3>{w!(back_office.catalogue)}</h3>
                <h4>{w!(back_office.skills)}</h4>
                <ul class="small">{list(false)}</ul>
                <CatalogueEntry interests=false/>
                <h4>{w!(back_office.interests)}</h4>
                <ul class="small">{list(true)}</ul>
                <CatalogueEntry interests=true/>
            </div>
        </Show>
    }
}

#[component]
fn CatalogueEntry(interests: bool) -> impl IntoView {
    let dispatch = use_dispatch();
    let code = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let zh = RwSignal::new(String::new());
    let save = move |_| {
        let form = CatalogueForm {
            code: code.get_untracked(),
            name_en: en.get_untracked(),
            name_zh: zh.get_untracked(),
        };
        send(
            dispatch,
            if interests {
                BackOfficeEvent::SaveInterest(form)
            } else {
                BackOfficeEvent::SaveSkill(form)
            },
        );
    };
    let (c, e, z, s) = if interests {
        (
            "interest-code",
            "interest-en",
            "interest-zh",
            "interest-save",
        )
    } else {
        ("skill-code", "skill-en", "skill-zh", "skill-save")
    };
    view! {
        <div class="row small">
            {text_field(w!(back_office.code), code, c)}
            {text_field(w!(back_office.name_en), en, e)}
            {text_field(w!(back_office.name_zh), zh, z)}
            <button class="chip" data-testid=s on:click=save>{w!(back_office.add_or_rename)}</button>
        </div>
    }
}
