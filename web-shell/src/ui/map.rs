//! The board's map, drawn as SVG from the core's `MapView`: every position, cluster and label
//! comes worked out in pixels (`shared::view::map`), so this file only draws and sends what
//! the pointer does (drag to pan, wheel and buttons to zoom, picks). It works with no tile
//! server (there is no internet on many shop networks). When the server has a tile URL
//! (`serve --tile-url`, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`), the view's
//! tiles are drawn underneath; the plot is the same either way.

use leptos::html::Div;
use leptos::prelude::*;
use shared::model::DispatcherEvent;
use shared::model::Event;
use shared::model::map::{MapEvent, MapItem, MapPick};
use shared::view::BoardView;
use shared::view::map::{LABEL_FONT_PX, LABEL_PAD, MapView, MarkerKind};

use crate::{Dispatch, use_dispatch, w};

/// Each technician's colour; the view gives an index, repeated past the last.
const COLOURS: [&str; 8] = [
    "#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be123c", "#4d7c0f", "#a16207",
];
/// A drag starts past this many pixels, so that a click that trembles is still a click.
const DRAG_START_PX: i32 = 4;
/// Wheel travel (CSS pixels) per zoom step: one notch of a mouse wheel; a trackpad's small
/// deltas add up to it.
const WHEEL_STEP: f64 = 100.0;

fn colour(i: Option<u32>) -> &'static str {
    i.map_or("#64748b", |i| COLOURS[i as usize % COLOURS.len()])
}

/// Written into `index.html` by the server, not kept in storage a script could fill: tile
/// requests carry the positions being looked at, and the page's Content-Security-Policy lets
/// images come from the configured tile origin only.
fn tile_url() -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(r#"meta[name="rounds-tiles"]"#)
        .ok()??
        .get_attribute("content")
        .filter(|u| u.contains("{z}"))
}

/// Where an element's box is in the window. Through `Reflect` rather than web-sys's `DomRect`,
/// whose feature would rebuild web-sys and everything over it for two numbers.
fn top_left(el: &web_sys::Element) -> Option<(f64, f64)> {
    use wasm_bindgen::JsCast;
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).ok();
    let rect = get(el, "getBoundingClientRect")?
        .dyn_into::<js_sys::Function>()
        .ok()?
        .call0(el)
        .ok()?;
    Some((get(&rect, "left")?.as_f64()?, get(&rect, "top")?.as_f64()?))
}

fn item_id(item: MapItem) -> String {
    match item {
        MapItem::Job(j) => j.0.to_string(),
        MapItem::Technician(t) => t.0.to_string(),
    }
}

fn send(dispatch: Dispatch, e: MapEvent) {
    dispatch.run(Event::Dispatcher(DispatcherEvent::Map(e)));
}

/// A press on the map, until it is let go: where the pointer was last, and whether it moved
/// far enough to be a drag.
#[derive(Clone, Copy)]
struct Press {
    pointer: i32,
    start: (i32, i32),
    last: (i32, i32),
    dragging: bool,
}

#[component]
pub fn Map(board: Memo<Option<BoardView>>) -> impl IntoView {
    let dispatch = use_dispatch();
    let tiles = tile_url();
    let plain = tiles.is_none();
    let map = Memo::new(move |_| board.with(|b| b.as_ref().map(|b| b.map.clone())));
    let frame = NodeRef::<Div>::new();
    let press = RwSignal::new(None::<Press>);
    let wheel = RwSignal::new(0.0f64);

    // The map takes the width of its column; the core lays it out for that size.
    let measure = move || {
        let Some(el) = frame.get_untracked() else {
            return;
        };
        let width = u32::try_from(el.client_width()).unwrap_or(0);
        if width == 0 {
            return;
        }
        let height = (f64::from(width) * 0.62).clamp(280.0, 560.0) as u32;
        let now = map.with_untracked(|m| m.as_ref().map(|m| (m.width, m.height)));
        if now != Some((width, height)) {
            send(dispatch, MapEvent::Resize { width, height });
        }
    };
    Effect::new(move |_| {
        if frame.get().is_some() && map.with(Option::is_some) {
            measure();
        }
    });
    let resized = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resized.remove());

    let at = move |x: i32, y: i32| -> (i32, i32) {
        let corner = frame.get_untracked().and_then(|el| top_left(&el));
        corner.map_or((x, y), |(left, top)| (x - left as i32, y - top as i32))
    };
    let zoom = move |steps: i32| {
        let (w, h) = map.with_untracked(|m| m.as_ref().map_or((0, 0), |m| (m.width, m.height)));
        send(
            dispatch,
            MapEvent::Zoom {
                steps,
                at_x: i32::try_from(w / 2).unwrap_or(0),
                at_y: i32::try_from(h / 2).unwrap_or(0),
            },
        );
    };

    let plot = move || {
        let Some(m) = map.get() else {
            return ().into_any();
        };
        draw(m, tiles.clone(), dispatch).into_any()
    };
    let proposed = move || {
        map.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.routes.iter().any(|r| r.proposed))
        })
    };
    let placing = Memo::new(move |_| board.with(|b| b.as_ref().and_then(|b| b.placing.clone())));
    view! {
        <div class="card" class:placing=move || placing.with(Option::is_some)>
            {move || placing.get().map(|words| view! {
                <p class="notice-card small" data-testid="map-placing">{words.text}" "
                    <button class="link" on:click=move |_| send(dispatch, MapEvent::Placing(None))>{w!(frame.cancel)}</button>
                </p>
            })}
            <div class="map-head">
                <h3>{w!(dispatcher.map)}</h3>
                <div class="map-tools">
                    <button class="chip" data-testid="map-zoom-in" title=w!(dispatcher.map_zoom_in)
                        prop:disabled=move || !map.with(|m| m.as_ref().is_some_and(|m| m.can_zoom_in))
                        on:click=move |_| zoom(1)>"+"</button>
                    <button class="chip" data-testid="map-zoom-out" title=w!(dispatcher.map_zoom_out)
                        prop:disabled=move || !map.with(|m| m.as_ref().is_some_and(|m| m.can_zoom_out))
                        on:click=move |_| zoom(-1)>"−"</button>
                    <button class="chip" data-testid="map-fit"
                        prop:disabled=move || map.with(|m| m.as_ref().is_none_or(|m| m.fitted))
                        on:click=move |_| send(dispatch, MapEvent::Fit)>{w!(dispatcher.map_fit)}</button>
                </div>
            </div>
            <div class="map-frame" node_ref=frame data-testid="map"
                data-zoom=move || map.with(|m| m.as_ref().map(|m| m.zoom.to_string()))
                data-fitted=move || map.with(|m| m.as_ref().is_some_and(|m| m.fitted).to_string())
                class:dragging=move || press.with(|p| p.is_some_and(|p| p.dragging))
                on:pointerdown=move |ev: leptos::ev::PointerEvent| {
                    if ev.button() == 0 {
                        let p = (ev.client_x(), ev.client_y());
                        press.set(Some(Press { pointer: ev.pointer_id(), start: p, last: p, dragging: false }));
                    }
                }
                on:pointermove=move |ev: leptos::ev::PointerEvent| {
                    let Some(mut p) = press.get_untracked() else { return };
                    let now = (ev.client_x(), ev.client_y());
                    if !p.dragging {
                        if (now.0 - p.start.0).abs().max((now.1 - p.start.1).abs()) < DRAG_START_PX {
                            return;
                        }
                        p.dragging = true;
                        // Captured only once it is a drag: a capture from the press would
                        // send the click to the map, not to the marker pressed.
                        if let Some(el) = frame.get_untracked() {
                            let _ = el.set_pointer_capture(p.pointer);
                        }
                    }
                    let (dx, dy) = (now.0 - p.last.0, now.1 - p.last.1);
                    p.last = now;
                    press.set(Some(p));
                    if dx != 0 || dy != 0 {
                        send(dispatch, MapEvent::Pan { dx, dy });
                    }
                }
                on:pointerup=move |ev: leptos::ev::PointerEvent| {
                    // Placing a customer: a press that was no drag is where they are, on a
                    // marker too (a neighbour may be next door); it bubbles here from any.
                    let tapped = press.get_untracked().is_some_and(|p| !p.dragging);
                    press.set(None);
                    if tapped && placing.get_untracked().is_some() {
                        let (x, y) = at(ev.client_x(), ev.client_y());
                        send(dispatch, MapEvent::PlaceAt { x, y });
                    }
                }
                on:pointercancel=move |_| press.set(None)
                on:wheel=move |ev: leptos::ev::WheelEvent| {
                    ev.prevent_default();
                    // Lines (Firefox) and pages count as a notch each.
                    let delta = if ev.delta_mode() == 0 { ev.delta_y() } else { ev.delta_y().signum() * WHEEL_STEP };
                    let total = wheel.get_untracked() + delta;
                    let steps = (total / WHEEL_STEP).trunc();
                    wheel.set(total - steps * WHEEL_STEP);
                    if steps != 0.0 {
                        let (x, y) = at(ev.client_x(), ev.client_y());
                        send(dispatch, MapEvent::Zoom { steps: -(steps as i32), at_x: x, at_y: y });
                    }
                }>
                {plot}
            </div>
            <Show when=proposed>
                <p class="small muted" data-testid="map-proposal-legend">{w!(dispatcher.map_proposed)}</p>
            </Show>
            {plain.then(|| view! { <p class="small muted">{w!(dispatcher.map_without_tiles)}</p> })}
        </div>
    }
}

fn draw(m: MapView, tiles: Option<String>, dispatch: Dispatch) -> impl IntoView {
    let (w, h) = (f64::from(m.width), f64::from(m.height));
    let pick = move |item: MapItem| {
        move |ev: leptos::ev::MouseEvent| {
            ev.stop_propagation();
            send(dispatch, MapEvent::Pick(MapPick::Item(item)));
        }
    };
    let tile_layer = tiles.map(|url| {
        m.tiles
            .iter()
            .map(|t| {
                let href = url
                    .replace("{z}", &t.z.to_string())
                    .replace("{x}", &t.x.to_string())
                    .replace("{y}", &t.y.to_string());
                view! { <image href=href x=t.left y=t.top width=t.size height=t.size/> }
            })
            .collect_view()
    });
    let routes = m
        .routes
        .iter()
        .filter(|r| r.points.len() > 1)
        .map(|r| {
            let points = r
                .points
                .iter()
                .map(|p| format!("{:.1},{:.1}", p.x, p.y))
                .collect::<Vec<_>>()
                .join(" ");
            let testid = if r.proposed {
                "map-proposal-route"
            } else {
                "map-route"
            };
            view! {
                <polyline class="route" class:proposed=r.proposed class:selected=r.selected
                    data-testid=testid data-id=r.technician.0.to_string()
                    points=points fill="none" stroke=colour(Some(r.colour))/>
            }
        })
        .collect_view();
    let clusters = m
        .clusters
        .iter()
        .map(|c| {
            let members = c.members.clone();
            view! {
                <g class="cluster" data-testid="map-cluster" data-count=c.count
                    on:click=move |ev: leptos::ev::MouseEvent| {
                        ev.stop_propagation();
                        send(dispatch, MapEvent::Pick(MapPick::Cluster(members.clone())));
                    }>
                    <title>{c.hint.clone()}</title>
                    <circle cx=c.x cy=c.y r=c.radius/>
                    <text x=c.x y=c.y + 4.0 text-anchor="middle">{c.count}</text>
                </g>
            }
        })
        .collect_view();
    let markers = m
        .markers
        .iter()
        .map(|k| {
            let (x, y, r) = (k.x, k.y, k.radius);
            let id = item_id(k.item);
            let title = view! { <title>{k.hint.clone()}</title> };
            match k.kind {
                MarkerKind::Technician => view! {
                    <g class="marker tech" class:selected=k.selected data-testid="map-tech" data-id=id
                        data-selected=k.selected.then_some("true") on:click=pick(k.item)>
                        {title}
                        <rect x=x - r y=y - r width=2.0 * r height=2.0 * r rx="2" fill=colour(k.colour)/>
                    </g>
                }
                .into_any(),
                kind => {
                    let fill = match kind {
                        MarkerKind::QueuedBreached => "#dc2626",
                        MarkerKind::QueuedAtRisk => "#f59e0b",
                        MarkerKind::Queued => "#64748b",
                        _ => colour(k.colour),
                    };
                    let queued = kind != MarkerKind::Assigned;
                    view! {
                        <g class="marker job" class:queued=queued class:selected=k.selected data-testid="map-job"
                            data-id=id data-queued=queued.then_some("true") data-selected=k.selected.then_some("true")
                            on:click=pick(k.item)>
                            {title}
                            <circle cx=x cy=y r=r fill=fill/>
                        </g>
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    let labels = m
        .labels
        .iter()
        .map(|l| {
            // Stretched to the box the core measured, so that no label runs over another
            // whatever the font.
            let text_width = (l.width - 2.0 * LABEL_PAD).max(1.0);
            view! {
                <g class="map-label" data-testid="map-label" data-id=item_id(l.item) on:click=pick(l.item)>
                    <rect x=l.x y=l.y width=l.width height=l.height rx="3"/>
                    <text x=l.x + LABEL_PAD y=l.y + l.height - 4.5 font-size=LABEL_FONT_PX
                        textLength=text_width lengthAdjust="spacingAndGlyphs">{l.name.clone()}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="map" width=w height=h viewBox=format!("0 0 {w} {h}")>
            <rect class="map-bg" x="0" y="0" width=w height=h
                on:click=move |_| send(dispatch, MapEvent::Pick(MapPick::Clear))/>
            {tile_layer}
            {routes}
            {clusters}
            {markers}
            {labels}
        </svg>
    }
}
