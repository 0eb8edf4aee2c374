//! The console's numbers: a bar chart (SVG) per KPI of the store shown, the period's totals,
//! a table per person, and the CSV to download. Everything comes worded and measured from
//! the core (`shared::view::numbers`); this draws it.

use leptos::prelude::*;
use shared::model::numbers::NumbersEvent;
use shared::model::{DispatcherEvent, Event};
use shared::view::back_office::BackOfficeView;
use shared::view::numbers::{ChartView, NumbersView};

use crate::{Dispatch, use_dispatch};

fn send(dispatch: Dispatch, e: NumbersEvent) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::Numbers(e)));
}

/// The chart's drawing area, in CSS pixels.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 90.0;

fn chart(c: ChartView) -> impl IntoView {
    let n = c.bars.len().max(1) as f64;
    let slot = WIDTH / n;
    let bars = c
        .bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let h = HEIGHT * f64::from(b.height) / 100.0;
            let x = i as f64 * slot;
            view! {
                <g>
                    <title>{format!("{} · {}", b.week, b.value)}</title>
                    <rect x=x + slot * 0.15 y=HEIGHT - h + 14.0 width=slot * 0.7 height=h class="bar"/>
                    <text x=x + slot / 2.0 y=HEIGHT - h + 11.0 class="bar-value">{b.value}</text>
                    <text x=x + slot / 2.0 y=HEIGHT + 27.0 class="bar-week">{b.week}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <div class="chart" data-testid="kpi-chart" data-kpi=format!("{:?}", c.kpi)>
            <div class="row"><b>{c.title.text}</b><span class="total" data-testid="kpi-total">{c.total}</span></div>
            <svg viewBox=format!("0 0 {WIDTH} {}", HEIGHT + 32.0) width=WIDTH height=HEIGHT + 32.0 role="img">
                {bars}
            </svg>
        </div>
    }
}

/// A link that downloads the CSV the core made, without a server round trip.
fn csv_href(csv: &str) -> String {
    format!(
        "data:text/csv;charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(csv))
    )
}

#[component]
pub fn Numbers(v: Memo<Option<BackOfficeView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let n = Memo::new(move |_| v.with(|b| b.as_ref().map(|b| b.numbers.clone())));
    let body = move || {
        let n: NumbersView = n.get()?;
        let weeks = n
            .weeks
            .iter()
            .map(|w| {
                let weeks = w.weeks;
                view! {
                    <button class="chip" class:chosen=w.chosen data-testid="numbers-weeks"
                        on:click=move |_| send(dispatch, NumbersEvent::Weeks(weeks))>
                        {w.label.text.clone()}
                    </button>
                }
            })
            .collect_view();
        let stores = (!n.stores.is_empty()).then(|| {
            let options = n
                .stores
                .iter()
                .map(|s| view! { <option value=s.store.0.to_string() selected=s.chosen>{s.name.clone()}</option> })
                .collect_view();
            view! {
                <select data-testid="numbers-store" on:change=move |ev| {
                    if let Ok(id) = event_target_value(&ev).parse::<domain::ids::StoreId>() {
                        send(dispatch, NumbersEvent::Store(id));
                    }
                }>{options}</select>
            }
        });
        let head = n
            .people_head
            .iter()
            .map(|h| view! { <th>{h.text.clone()}</th> })
            .collect_view();
        let people = n
            .people
            .iter()
            .map(|p| {
                let cells = p
                    .cells
                    .iter()
                    .map(|c| view! { <td>{c.clone()}</td> })
                    .collect_view();
                view! { <tr data-testid="numbers-person"><td>{p.name.clone()}</td>{cells}</tr> }
            })
            .collect_view();
        let totals = n
            .totals
            .iter()
            .map(|t| view! { <li data-testid="numbers-total">{t.label.text.clone()}": "<b>{t.value.clone()}</b></li> })
            .collect_view();
        let computed = n.computed;
        Some(view! {
            <div class="row wrap">
                {weeks}{stores}
                <button class="chip" data-testid="numbers-refresh"
                    on:click=move |_| send(dispatch, NumbersEvent::Refresh)>{n.refresh.text.clone()}</button>
                {computed.then(|| view! {
                    <a class="chip" data-testid="numbers-csv" download=n.csv_name.clone() href=csv_href(&n.csv)>
                        {n.csv_label.text.clone()}</a>
                })}
            </div>
            {n.empty.map(|e| view! { <p class="muted" data-testid="numbers-empty">{e.text}</p> })}
            <div class="charts">{n.charts.into_iter().map(chart).collect_view()}</div>
            <ul class="small">{totals}</ul>
            {(!n.people.is_empty()).then(|| view! {
                <h4>{n.people_title.text.clone()}</h4>
                <table class="people small numbers"><thead><tr>{head}</tr></thead><tbody>{people}</tbody></table>
            })}
        })
    };
    view! {
        <div class="card" data-testid="numbers">
            <h3>{move || n.with(|n| n.as_ref().map(|n| n.title.text.clone()))}</h3>
            {body}
        </div>
    }
}
