//! The board's map: jobs and technicians plotted in Web Mercator as SVG, so it works with no
//! tile server (there is no internet on many shop networks). When the server has a tile URL
//! (`serve --tile-url`, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`), tiles are
//! drawn underneath; the plot is the same either way.

use domain::places::LatLng;
use leptos::prelude::*;
use shared::view::BoardView;

use crate::w;

const SIZE: f64 = 256.0;
const W: f64 = 640.0;
const H: f64 = 400.0;
const COLOURS: [&str; 8] = [
    "#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be123c", "#4d7c0f", "#a16207",
];

fn world(p: LatLng, zoom: u8) -> (f64, f64) {
    let scale = SIZE * f64::from(1u32 << zoom);
    let x = (p.lng + 180.0) / 360.0 * scale;
    let lat = p.lat.to_radians();
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * scale;
    (x, y)
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

struct Dot {
    at: LatLng,
    colour: &'static str,
    label: String,
    tech: bool,
    risk: bool,
}

#[component]
pub fn Map(board: Memo<Option<BoardView>>) -> impl IntoView {
    let tiles = tile_url();
    let plain = tiles.is_none();
    let plot = move || {
        let Some(b) = board.get() else {
            return ().into_any();
        };
        let mut dots = Vec::new();
        let mut routes = Vec::new();
        for j in &b.unassigned {
            if let Some(at) = j.position {
                let risk = j.sla_at_risk || j.sla_breached;
                dots.push(Dot {
                    at,
                    colour: if j.sla_breached {
                        "#dc2626"
                    } else if risk {
                        "#f59e0b"
                    } else {
                        "#64748b"
                    },
                    label: j.number.clone(),
                    tech: false,
                    risk,
                });
            }
        }
        for (i, t) in b.technicians.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let mut route: Vec<LatLng> = t.position.into_iter().collect();
            for j in &t.jobs {
                if let Some(at) = j.position {
                    dots.push(Dot {
                        at,
                        colour,
                        label: j.number.clone(),
                        tech: false,
                        risk: false,
                    });
                    route.push(at);
                }
            }
            if let Some(at) = t.position {
                dots.push(Dot {
                    at,
                    colour,
                    label: t.name.clone(),
                    tech: true,
                    risk: false,
                });
            }
            routes.push((colour, route));
        }
        if dots.is_empty() {
            return ().into_any();
        }
        // The largest zoom at which everything fits.
        let zoom = (1..=17u8)
            .rev()
            .find(|z| {
                let (xs, ys): (Vec<f64>, Vec<f64>) = dots.iter().map(|d| world(d.at, *z)).unzip();
                let span = |v: &[f64]| {
                    v.iter().copied().fold(f64::MIN, f64::max)
                        - v.iter().copied().fold(f64::MAX, f64::min)
                };
                span(&xs) <= W * 0.9 && span(&ys) <= H * 0.9
            })
            .unwrap_or(1);
        let pts: Vec<(f64, f64)> = dots.iter().map(|d| world(d.at, zoom)).collect();
        let cx = (pts.iter().map(|p| p.0).fold(f64::MAX, f64::min)
            + pts.iter().map(|p| p.0).fold(f64::MIN, f64::max))
            / 2.0;
        let cy = (pts.iter().map(|p| p.1).fold(f64::MAX, f64::min)
            + pts.iter().map(|p| p.1).fold(f64::MIN, f64::max))
            / 2.0;
        let (x0, y0) = (cx - W / 2.0, cy - H / 2.0);
        let tile_layer = tiles.clone().map(|url| {
            let mut imgs = Vec::new();
            let (tx0, ty0, tx1, ty1) = ((x0 / SIZE).floor() as i64, (y0 / SIZE).floor() as i64, ((x0 + W) / SIZE).floor() as i64, ((y0 + H) / SIZE).floor() as i64);
            for tx in tx0..=tx1 {
                for ty in ty0..=ty1 {
                    let href = url.replace("{z}", &zoom.to_string()).replace("{x}", &tx.to_string()).replace("{y}", &ty.to_string());
                    imgs.push(view! { <image href=href x=tx as f64 * SIZE y=ty as f64 * SIZE width=SIZE height=SIZE/> });
                }
            }
            imgs
        });
        let lines = routes.into_iter().filter(|r| r.1.len() > 1).map(|(colour, r)| {
            let points = r.iter().map(|p| { let (x, y) = world(*p, zoom); format!("{x:.1},{y:.1}") }).collect::<Vec<_>>().join(" ");
            view! { <polyline points=points fill="none" stroke=colour stroke-width="1.5" stroke-opacity="0.5"/> }
        }).collect_view();
        let marks = dots.into_iter().zip(pts).map(|(d, (x, y))| {
            if d.tech {
                view! { <g data-testid="map-tech"><rect x=x - 5.0 y=y - 5.0 width="10" height="10" fill=d.colour/>
                    <text x=x + 7.0 y=y + 4.0 class="map-label">{d.label}</text></g> }.into_any()
            } else {
                view! { <circle cx=x cy=y r=if d.risk { "6" } else { "4" } fill=d.colour data-testid="map-job"><title>{d.label}</title></circle> }.into_any()
            }
        }).collect_view();
        view! {
            <svg class="map" viewBox=format!("{x0:.1} {y0:.1} {W} {H}") preserveAspectRatio="xMidYMid meet">
                <rect x=x0 y=y0 width=W height=H fill="#f1f5f9"/>
                {tile_layer}
                {lines}
                {marks}
            </svg>
        }
        .into_any()
    };
    view! {
        <div class="card">
            <h3>{w!(dispatcher.map)}</h3>
            <div data-testid="map">{plot}</div>
            {plain.then(|| view! { <p class="small muted">{w!(dispatcher.map_without_tiles)}</p> })}
        </div>
    }
}
