//! The board's map in pixels of the map as shown: markers, clusters, routes (today's and a
//! proposal's), labels placed so that none overlaps another or a marker, and the tiles that
//! cover the view. Worked out here, by one pure function ([`layout`]), so that every shell
//! draws the same map and only draws: the web shell as SVG, a native one on a canvas.

use std::collections::HashMap;

use facet::Facet;
use serde::{Deserialize, Serialize};

use super::dispatcher::BoardView;
use crate::model::Model;
use crate::model::map::{MAX_ZOOM, MIN_ZOOM, MapItem, MapState, TILE, project};
use domain::ids::UserId;
use domain::ops::{Record, RecordKey};

/// Markers closer than this (pixels) at the zoom shown merge into one cluster.
pub const CLUSTER_PX: f64 = 28.0;
/// The labels' font size in CSS pixels, which the width estimate is for; shells draw
/// labels at this size.
pub const LABEL_FONT_PX: f64 = 11.0;
/// Room for the tallest glyphs at `LABEL_FONT_PX` (Chinese fonts rise higher than Latin ones).
pub const LABEL_HEIGHT: f64 = 18.0;
/// Room inside a label's box on each side of its text.
pub const LABEL_PAD: f64 = 3.0;
/// Room kept between a label and anything else.
const GAP: f64 = 1.0;
/// A label longer than this many characters is cut, with an ellipsis (the marker's hint
/// keeps it whole).
const LABEL_CHARS: usize = 24;

/// The map as the shell draws it. Every position is in CSS pixels from the map's top-left
/// corner; anything outside `0..width`, `0..height` is clipped by the shell.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct MapView {
    pub width: u32,
    pub height: u32,
    pub zoom: u8,
    /// Showing everything (no pan or zoom since the last fit).
    pub fitted: bool,
    pub can_zoom_in: bool,
    pub can_zoom_out: bool,
    /// The tiles under the view, for a shell that has a tile server; drawn first.
    pub tiles: Vec<MapTile>,
    /// Today's routes, then the proposal's (`proposed`), drawn under the markers.
    pub routes: Vec<MapRoute>,
    /// What is drawn one by one; the rest is in `clusters`.
    pub markers: Vec<MapMarker>,
    pub clusters: Vec<MapCluster>,
    /// Labels that have room; a marker without one still has its `hint`.
    pub labels: Vec<MapLabel>,
    /// The board's selection (the lists show it too); never clustered.
    pub selected: Option<MapItem>,
}

/// One tile, `TILE` pixels square, of the slippy-map grid (`{z}/{x}/{y}`).
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MapTile {
    pub z: u8,
    pub x: u32,
    pub y: u32,
    pub left: f64,
    pub top: f64,
    pub size: f64,
}

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct MapPoint {
    pub x: f64,
    pub y: f64,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MapRoute {
    pub technician: UserId,
    /// The technician's colour (an index into the shell's palette, which it repeats).
    pub colour: u32,
    /// The proposal's, not today's assignments: drawn distinct (dashed).
    pub proposed: bool,
    /// The technician is selected.
    pub selected: bool,
    /// From where the technician is, through their jobs in order.
    pub points: Vec<MapPoint>,
}

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub enum MarkerKind {
    /// A job waiting for a technician.
    Queued,
    QueuedAtRisk,
    QueuedBreached,
    /// A technician's job of the day, in the technician's colour.
    Assigned,
    Technician,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MapMarker {
    pub item: MapItem,
    pub kind: MarkerKind,
    /// The technician's colour, for their jobs and themselves.
    pub colour: Option<u32>,
    pub x: f64,
    pub y: f64,
    /// The marker fits in the square of this half-side around `(x, y)`.
    pub radius: f64,
    /// What a pointer resting on it shows: the number, customer and address; the name.
    pub hint: String,
    pub selected: bool,
}

#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MapCluster {
    pub x: f64,
    pub y: f64,
    pub radius: f64,
    pub count: u32,
    /// Sent back as they are to zoom in on them (`MapPick::Cluster`).
    pub members: Vec<MapItem>,
    /// The members' numbers and names.
    pub hint: String,
}

/// A label's box (top-left corner and size); the text sits inside it, `LABEL_PAD` from the
/// left, at `LABEL_FONT_PX`.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MapLabel {
    pub item: MapItem,
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// What the map shows, before it is put in pixels: positions in Web Mercator.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct MapInput {
    pub marks: Vec<Mark>,
    pub routes: Vec<Route>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub item: MapItem,
    pub kind: MarkerKind,
    pub colour: Option<u32>,
    pub at: (f64, f64),
    pub label: String,
    pub hint: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub technician: UserId,
    pub colour: u32,
    pub proposed: bool,
    pub at: Vec<(f64, f64)>,
}

impl MapInput {
    /// Everything a fit must show.
    #[must_use]
    pub fn points(&self) -> Vec<(f64, f64)> {
        self.marks
            .iter()
            .map(|m| m.at)
            .chain(self.routes.iter().flat_map(|r| r.at.iter().copied()))
            .collect()
    }

    #[must_use]
    pub fn place(&self, item: MapItem) -> Option<(f64, f64)> {
        self.marks.iter().find(|m| m.item == item).map(|m| m.at)
    }
}

/// What the board shows, for the map: its queue as filtered, the technicians' days, and the
/// proposal when there is one for the day shown.
pub(crate) fn input(model: &Model, board: &BoardView) -> MapInput {
    let mut marks = Vec::new();
    let mut routes = Vec::new();
    let hint = |c: &super::JobCard| format!("{} · {} · {}", c.number, c.customer_name, c.address);
    for c in &board.unassigned {
        if let Some(p) = c.position {
            marks.push(Mark {
                item: MapItem::Job(c.id),
                kind: if c.sla_breached {
                    MarkerKind::QueuedBreached
                } else if c.sla_at_risk {
                    MarkerKind::QueuedAtRisk
                } else {
                    MarkerKind::Queued
                },
                colour: None,
                at: project(p),
                label: c.number.clone(),
                hint: hint(c),
            });
        }
    }
    let mut colours: HashMap<UserId, (u32, Option<(f64, f64)>)> = HashMap::new();
    for (i, t) in board.technicians.iter().enumerate() {
        let colour = u32::try_from(i).unwrap_or(u32::MAX);
        let start = t.position.map(project);
        colours.insert(t.id, (colour, start));
        let mut route: Vec<(f64, f64)> = start.into_iter().collect();
        for c in &t.jobs {
            if let Some(p) = c.position {
                let at = project(p);
                marks.push(Mark {
                    item: MapItem::Job(c.id),
                    kind: MarkerKind::Assigned,
                    colour: Some(colour),
                    at,
                    label: c.number.clone(),
                    hint: format!("{} · {}", hint(c), t.name),
                });
                route.push(at);
            }
        }
        if let Some(at) = start {
            marks.push(Mark {
                item: MapItem::Technician(t.id),
                kind: MarkerKind::Technician,
                colour: Some(colour),
                at,
                label: t.name.clone(),
                hint: t.name.clone(),
            });
        }
        if route.len() > 1 {
            routes.push(Route {
                technician: t.id,
                colour,
                proposed: false,
                at: route,
            });
        }
    }
    if let Some(p) = model
        .dispatch
        .proposal
        .as_ref()
        .filter(|p| p.date == model.board_date())
    {
        let others = u32::try_from(board.technicians.len()).unwrap_or(u32::MAX);
        for (i, r) in p.routes.iter().enumerate() {
            let (colour, start) = colours.get(&r.technician).copied().unwrap_or((
                others.saturating_add(u32::try_from(i).unwrap_or(u32::MAX)),
                None,
            ));
            let stops = r.visits.iter().filter_map(|v| v.job).filter_map(|id| {
                match model.replica.record(&RecordKey::Job(id)) {
                    Some(Record::Job(j)) => j.service_address.location.map(project),
                    _ => None,
                }
            });
            let at: Vec<(f64, f64)> = start.into_iter().chain(stops).collect();
            if at.len() > 1 {
                routes.push(Route {
                    technician: r.technician,
                    colour,
                    proposed: true,
                    at,
                });
            }
        }
    }
    MapInput { marks, routes }
}

/// What the board shows now, for the map's events that need it (a fit, a pick).
pub(crate) fn input_of(model: &Model) -> MapInput {
    let ctx = super::Ctx::new(model);
    input(model, &super::dispatcher::board(model, &ctx))
}

/// The width of a label's text at `LABEL_FONT_PX`, a little generous: Chinese characters
/// are a full em, Latin ones about half of one.
#[must_use]
pub fn text_width(text: &str) -> f64 {
    let em = LABEL_FONT_PX;
    text.chars()
        .map(|c| match c {
            _ if is_wide(c) => em * 1.05,
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | '-' => em * 0.36,
            'm' | 'w' | 'M' | 'W' | '@' => em * 0.9,
            'A'..='Z' | '0'..='9' => em * 0.68,
            _ if c.is_ascii() => em * 0.58,
            _ => em * 0.75,
        })
        .sum()
}

/// Characters drawn a full em wide: CJK, Hangul, kana and full-width forms.
fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD)
}

/// A box: left, top, right, bottom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    #[must_use]
    pub fn around(x: f64, y: f64, r: f64) -> Self {
        Self {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    /// Overlaps, or comes nearer than `gap`.
    #[must_use]
    pub fn near(&self, o: &Rect, gap: f64) -> bool {
        self.x0 < o.x1 + gap && o.x0 < self.x1 + gap && self.y0 < o.y1 + gap && o.y0 < self.y1 + gap
    }
}

/// Pixels to a tenth: enough for a screen, and a shorter view model.
fn px(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

fn radius(kind: MarkerKind, selected: bool) -> f64 {
    let r = match kind {
        MarkerKind::Technician => 7.0,
        MarkerKind::QueuedAtRisk | MarkerKind::QueuedBreached => 6.0,
        MarkerKind::Queued | MarkerKind::Assigned => 5.0,
    };
    if selected { r + 3.0 } else { r }
}

/// Which labels go first when room is short: the selection, people, then the most urgent.
fn rank(kind: MarkerKind) -> u8 {
    match kind {
        MarkerKind::Technician => 0,
        MarkerKind::QueuedBreached => 1,
        MarkerKind::QueuedAtRisk => 2,
        MarkerKind::Queued => 3,
        MarkerKind::Assigned => 4,
    }
}

fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(LABEL_CHARS - 1).collect();
        s.push('…');
        s
    }
}

/// The map in pixels, for the state and what there is to show.
#[must_use]
pub fn layout(state: &MapState, input: &MapInput) -> MapView {
    let size = state.size();
    let vp = state.viewport_or_fit(&input.points());
    let (w, h) = size;
    let on_screen = |p: (f64, f64)| {
        let (x, y) = vp.to_screen(size, p);
        (px(x), px(y))
    };

    // What is in view (with a margin, for clusters at the edge), most important first.
    let mut shown: Vec<(&Mark, f64, f64)> = input
        .marks
        .iter()
        .filter_map(|m| {
            let (x, y) = on_screen(m.at);
            let inside = (-CLUSTER_PX..=w + CLUSTER_PX).contains(&x)
                && (-CLUSTER_PX..=h + CLUSTER_PX).contains(&y);
            inside.then_some((m, x, y))
        })
        .collect();
    let selected = state.selected;
    shown.sort_by_key(|(m, _, _)| (Some(m.item) != selected, rank(m.kind)));

    // Greedy clustering on a grid of `CLUSTER_PX` cells: each marker joins the first group
    // whose first marker is nearer than `CLUSTER_PX`, or starts its own. The selection is
    // never hidden in a cluster.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut seeds: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    let cell = |x: f64, y: f64| {
        (
            (x / CLUSTER_PX).floor() as i64,
            (y / CLUSTER_PX).floor() as i64,
        )
    };
    for (i, (m, x, y)) in shown.iter().enumerate() {
        if Some(m.item) == selected {
            groups.push(vec![i]);
            continue;
        }
        let (cx, cy) = cell(*x, *y);
        let near = (-1..=1)
            .flat_map(|dx| (-1..=1).map(move |dy| (cx + dx, cy + dy)))
            .filter_map(|c| seeds.get(&c))
            .flatten()
            .copied()
            .filter(|g| {
                let first = groups[*g][0];
                let (_, sx, sy) = shown[first];
                (sx - x).hypot(sy - y) < CLUSTER_PX
            })
            .min();
        match near {
            Some(g) => groups[g].push(i),
            None => {
                seeds.entry((cx, cy)).or_default().push(groups.len());
                groups.push(vec![i]);
            }
        }
    }

    let mut markers = Vec::new();
    let mut clusters = Vec::new();
    for g in &groups {
        if let [i] = g[..] {
            let (m, x, y) = shown[i];
            let on = Some(m.item) == selected;
            markers.push(MapMarker {
                item: m.item,
                kind: m.kind,
                colour: m.colour,
                x,
                y,
                radius: radius(m.kind, on),
                hint: m.hint.clone(),
                selected: on,
            });
        } else {
            let n = g.len() as f64;
            // At its first marker, not its centroid: first markers are `CLUSTER_PX` apart, so
            // clusters and lone markers keep apart, and a cluster stays put as others form.
            let (_, x, y) = shown[g[0]];
            let mut hint: Vec<&str> = g
                .iter()
                .take(8)
                .map(|i| shown[*i].0.label.as_str())
                .collect();
            if g.len() > 8 {
                hint.push("…");
            }
            clusters.push(MapCluster {
                x,
                y,
                radius: 10.0 + n.log10().min(2.0) * 3.0,
                count: u32::try_from(g.len()).unwrap_or(u32::MAX),
                members: g.iter().map(|i| shown[*i].0.item).collect(),
                hint: hint.join(", "),
            });
        }
    }
    // The selected marker is drawn last, on top.
    markers.sort_by_key(|m| m.selected);

    // Labels, greedily: each where it overlaps no label placed before it and no marker or
    // cluster, trying right, left, above and below its marker; else none. Markers are in
    // `shown`'s order, so the selection and people get room first.
    let obstacles: Vec<Rect> = markers
        .iter()
        .map(|m| Rect::around(m.x, m.y, m.radius))
        .chain(clusters.iter().map(|c| Rect::around(c.x, c.y, c.radius)))
        .collect();
    let frame = Rect {
        x0: 0.0,
        y0: 0.0,
        x1: w,
        y1: h,
    };
    let mut placed: Vec<Rect> = Vec::new();
    let mut labels = Vec::new();
    let order: Vec<&MapMarker> = {
        let mut o: Vec<&MapMarker> = markers.iter().collect();
        o.sort_by_key(|m| (!m.selected, rank(m.kind)));
        o
    };
    let texts: HashMap<MapItem, &str> = shown
        .iter()
        .map(|(m, _, _)| (m.item, m.label.as_str()))
        .collect();
    for m in order {
        let Some(text) = texts
            .get(&m.item)
            .map(|t| short(t))
            .filter(|t| !t.trim().is_empty())
        else {
            continue;
        };
        let bw = (text_width(&text) + 2.0 * LABEL_PAD).ceil();
        let bh = LABEL_HEIGHT;
        let r = m.radius + GAP + 1.0;
        let candidates = [
            (m.x + r, m.y - bh / 2.0),
            (m.x - r - bw, m.y - bh / 2.0),
            (m.x - bw / 2.0, m.y - r - bh),
            (m.x - bw / 2.0, m.y + r),
        ];
        let fits = candidates
            .into_iter()
            .map(|(x, y)| (px(x), px(y)))
            .find(|(x, y)| {
                let b = Rect {
                    x0: *x,
                    y0: *y,
                    x1: x + bw,
                    y1: y + bh,
                };
                b.x0 >= frame.x0
                    && b.y0 >= frame.y0
                    && b.x1 <= frame.x1
                    && b.y1 <= frame.y1
                    && !placed.iter().chain(&obstacles).any(|o| b.near(o, GAP))
            });
        if let Some((x, y)) = fits {
            placed.push(Rect {
                x0: x,
                y0: y,
                x1: x + bw,
                y1: y + bh,
            });
            labels.push(MapLabel {
                item: m.item,
                name: text,
                x,
                y,
                width: bw,
                height: bh,
            });
        }
    }

    let routes = input
        .routes
        .iter()
        .map(|r| MapRoute {
            technician: r.technician,
            colour: r.colour,
            proposed: r.proposed,
            selected: selected == Some(MapItem::Technician(r.technician)),
            points: r
                .at
                .iter()
                .map(|p| {
                    let (x, y) = on_screen(*p);
                    MapPoint { x, y }
                })
                .collect(),
        })
        .collect();

    MapView {
        width: state.width,
        height: state.height,
        zoom: vp.zoom,
        fitted: state.viewport.is_none(),
        can_zoom_in: vp.zoom < MAX_ZOOM,
        can_zoom_out: vp.zoom > MIN_ZOOM,
        tiles: tiles(vp, size),
        routes,
        markers,
        clusters,
        labels,
        selected,
    }
}

/// The grid's tiles under the view, where each goes.
fn tiles(vp: crate::model::map::Viewport, (w, h): (f64, f64)) -> Vec<MapTile> {
    let s = vp.scale();
    let n = 1i64 << vp.zoom.min(MAX_ZOOM);
    let (x0, y0) = (vp.x * s - w / 2.0, vp.y * s - h / 2.0);
    let first = |v: f64| ((v / TILE).floor() as i64).clamp(0, n - 1);
    let last = |v: f64| ((v / TILE).ceil() as i64 - 1).clamp(0, n - 1);
    let (tx0, tx1) = (first(x0.max(0.0)), last((x0 + w).min(s)));
    let (ty0, ty1) = (first(y0.max(0.0)), last((y0 + h).min(s)));
    let mut out = Vec::new();
    for ty in ty0..=ty1 {
        for tx in tx0..=tx1 {
            out.push(MapTile {
                z: vp.zoom,
                x: u32::try_from(tx).unwrap_or(0),
                y: u32::try_from(ty).unwrap_or(0),
                left: px(tx as f64 * TILE - x0),
                top: px(ty as f64 * TILE - y0),
                size: TILE,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::map::{MapEvent, Viewport};
    use domain::ids::JobId;
    use domain::places::LatLng;
    use proptest::prelude::*;

    fn job(n: u128) -> MapItem {
        MapItem::Job(JobId::from_parts(1, n))
    }

    fn mark(item: MapItem, kind: MarkerKind, lat: f64, lng: f64, label: &str) -> Mark {
        Mark {
            item,
            kind,
            colour: None,
            at: project(LatLng { lat, lng }),
            label: label.to_owned(),
            hint: label.to_owned(),
        }
    }

    fn input(points: &[(f64, f64, u8, String)]) -> MapInput {
        let kinds = [
            MarkerKind::Queued,
            MarkerKind::QueuedAtRisk,
            MarkerKind::QueuedBreached,
            MarkerKind::Assigned,
            MarkerKind::Technician,
        ];
        MapInput {
            marks: points
                .iter()
                .enumerate()
                .map(|(i, (lat, lng, k, label))| {
                    let item = if *k == 4 {
                        MapItem::Technician(UserId(uuid::Uuid::from_u128(i as u128 + 1)))
                    } else {
                        job(i as u128 + 1)
                    };
                    mark(item, kinds[usize::from(*k)], *lat, *lng, label)
                })
                .collect(),
            routes: vec![],
        }
    }

    /// The invariants of any layout: labels apart from each other and from every marker and
    /// cluster, inside the map; every marker in view drawn or in exactly one cluster.
    fn check(state: &MapState, input: &MapInput, view: &MapView) -> Result<(), TestCaseError> {
        let boxes: Vec<Rect> = view
            .labels
            .iter()
            .map(|l| Rect {
                x0: l.x,
                y0: l.y,
                x1: l.x + l.width,
                y1: l.y + l.height,
            })
            .collect();
        let marks: Vec<Rect> = view
            .markers
            .iter()
            .map(|m| Rect::around(m.x, m.y, m.radius))
            .chain(
                view.clusters
                    .iter()
                    .map(|c| Rect::around(c.x, c.y, c.radius)),
            )
            .collect();
        for (i, a) in boxes.iter().enumerate() {
            prop_assert!(a.x0 >= 0.0 && a.y0 >= 0.0);
            prop_assert!(a.x1 <= f64::from(view.width) && a.y1 <= f64::from(view.height));
            for b in &boxes[i + 1..] {
                prop_assert!(!a.near(b, 0.0), "labels {a:?} and {b:?} overlap");
            }
            for m in &marks {
                prop_assert!(!a.near(m, 0.0), "label {a:?} over marker {m:?}");
            }
        }
        let vp = state.viewport_or_fit(&input.points());
        let (w, h) = state.size();
        let in_view: Vec<MapItem> = input
            .marks
            .iter()
            .filter(|m| {
                let (x, y) = vp.to_screen(state.size(), m.at);
                let (x, y) = (px(x), px(y));
                (-CLUSTER_PX..=w + CLUSTER_PX).contains(&x)
                    && (-CLUSTER_PX..=h + CLUSTER_PX).contains(&y)
            })
            .map(|m| m.item)
            .collect();
        let mut seen: HashMap<MapItem, usize> = HashMap::new();
        for m in &view.markers {
            *seen.entry(m.item).or_default() += 1;
        }
        for c in &view.clusters {
            prop_assert!(c.count >= 2);
            prop_assert_eq!(c.count as usize, c.members.len());
            for m in &c.members {
                *seen.entry(*m).or_default() += 1;
            }
        }
        let counted: usize = view.markers.len()
            + view
                .clusters
                .iter()
                .map(|c| c.count as usize)
                .sum::<usize>();
        prop_assert_eq!(counted, in_view.len());
        for item in &in_view {
            prop_assert_eq!(seen.get(item).copied(), Some(1), "{:?}", item);
        }
        prop_assert!((MIN_ZOOM..=MAX_ZOOM).contains(&view.zoom));
        // Nothing drawn piles up on anything else but the selection.
        let spots: Vec<(f64, f64)> = view
            .markers
            .iter()
            .filter(|m| !m.selected)
            .map(|m| (m.x, m.y))
            .chain(view.clusters.iter().map(|c| (c.x, c.y)))
            .collect();
        for (i, a) in spots.iter().enumerate() {
            for b in &spots[i + 1..] {
                prop_assert!(
                    (a.0 - b.0).hypot(a.1 - b.1) >= CLUSTER_PX,
                    "{a:?} and {b:?}"
                );
            }
        }
        Ok(())
    }

    fn label() -> impl Strategy<Value = String> {
        prop_oneof![
            "J-[0-9A-Z]{5}-[0-9A-Z]{5}",
            "[\\p{Han}]{1,4}",
            "[a-z ]{0,30}",
            "\\PC{0,12}",
        ]
    }

    fn event() -> impl Strategy<Value = MapEvent> {
        prop_oneof![
            (-2000i32..2000, -2000i32..2000).prop_map(|(dx, dy)| MapEvent::Pan { dx, dy }),
            (any::<i32>(), any::<i32>()).prop_map(|(dx, dy)| MapEvent::Pan { dx, dy }),
            (-3i32..=3, 0i32..800, 0i32..500).prop_map(|(steps, at_x, at_y)| MapEvent::Zoom {
                steps,
                at_x,
                at_y
            }),
            (any::<i32>(), any::<i32>(), any::<i32>())
                .prop_map(|(steps, at_x, at_y)| MapEvent::Zoom { steps, at_x, at_y }),
            Just(MapEvent::Fit),
            (any::<u32>(), any::<u32>())
                .prop_map(|(width, height)| MapEvent::Resize { width, height }),
            (200u32..1200, 200u32..800)
                .prop_map(|(width, height)| MapEvent::Resize { width, height }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn labels_never_overlap_and_every_marker_is_drawn_or_clustered_once(
            points in proptest::collection::vec(
                (
                    prop_oneof![31.0f64..31.5, 31.2f64..31.201, -85.0f64..85.0],
                    prop_oneof![121.2f64..121.8, 121.4f64..121.401, -180.0f64..180.0],
                    0u8..5,
                    label(),
                ),
                0..80,
            ),
            events in proptest::collection::vec(event(), 0..6),
            selected in proptest::option::of(0usize..80),
        ) {
            let input = input(&points);
            let mut state = MapState {
                selected: selected.and_then(|i| input.marks.get(i)).map(|m| m.item),
                ..MapState::default()
            };
            for e in &events {
                state.apply(e, || input.points(), |i| input.place(i));
                let vp = state.viewport_or_fit(&input.points());
                prop_assert!((MIN_ZOOM..=MAX_ZOOM).contains(&vp.zoom));
            }
            let view = layout(&state, &input);
            check(&state, &input, &view)?;
            if let Some(s) = state.selected {
                prop_assert!(view.clusters.iter().all(|c| !c.members.contains(&s)));
            }
        }

        #[test]
        fn picking_a_cluster_always_zooms_in_until_the_last_zoom(
            points in proptest::collection::vec((31.0f64..31.5, 121.2f64..121.8), 2..60),
        ) {
            let input = input(&points.iter().map(|(a, b)| (*a, *b, 0, "J".to_owned())).collect::<Vec<_>>());
            let mut state = MapState::default();
            for _ in 0..40 {
                let view = layout(&state, &input);
                let Some(c) = view.clusters.first() else { break };
                let before = view.zoom;
                state.apply(
                    &MapEvent::Pick(crate::model::map::MapPick::Cluster(c.members.clone())),
                    || input.points(),
                    |i| input.place(i),
                );
                let after = state.viewport_or_fit(&input.points()).zoom;
                prop_assert!(after > before || before == MAX_ZOOM);
                if before == MAX_ZOOM { break; }
            }
        }
    }

    #[test]
    fn close_markers_cluster_and_come_apart_zoomed_in() {
        let input = MapInput {
            marks: vec![
                mark(job(1), MarkerKind::Queued, 31.2300, 121.4700, "J-1"),
                mark(job(2), MarkerKind::Queued, 31.2302, 121.4702, "J-2"),
                mark(job(3), MarkerKind::Queued, 31.30, 121.60, "J-3"),
            ],
            routes: vec![],
        };
        let state = MapState::default();
        let view = layout(&state, &input);
        assert_eq!(view.clusters.len(), 1);
        assert_eq!(view.clusters[0].count, 2);
        assert_eq!(view.markers.len(), 1);
        let close = MapState {
            viewport: Some(Viewport {
                zoom: 18,
                ..state.viewport_or_fit(&input.points())
            }),
            ..state
        };
        let near = MapState {
            viewport: Some(Viewport {
                x: input.marks[0].at.0,
                y: input.marks[0].at.1,
                zoom: 18,
            }),
            ..close
        };
        let view = layout(&near, &input);
        assert!(view.clusters.is_empty());
        assert_eq!(view.markers.len(), 2);
    }

    #[test]
    fn a_selected_marker_is_drawn_on_its_own_and_labelled_first() {
        let input = MapInput {
            marks: vec![
                mark(job(1), MarkerKind::Queued, 31.2300, 121.4700, "J-1"),
                mark(job(2), MarkerKind::Queued, 31.2301, 121.4701, "J-2"),
            ],
            routes: vec![],
        };
        let state = MapState {
            selected: Some(job(2)),
            ..MapState::default()
        };
        let view = layout(&state, &input);
        assert!(view.clusters.is_empty());
        let m = view.markers.iter().find(|m| m.item == job(2)).unwrap();
        assert!(m.selected);
        assert_eq!(view.labels.first().map(|l| l.item), Some(job(2)));
    }

    #[test]
    fn chinese_is_wider_than_latin_per_character() {
        assert!(text_width("王芳") > text_width("ab"));
        assert!(text_width("郑洋") >= 2.0 * LABEL_FONT_PX);
        assert_eq!(short(&"x".repeat(100)).chars().count(), LABEL_CHARS);
    }

    #[test]
    fn the_tiles_cover_the_view_and_no_more() {
        let vp = Viewport {
            x: 0.8,
            y: 0.4,
            zoom: 10,
        };
        let t = tiles(vp, (640.0, 400.0));
        assert!(t.iter().all(|t| t.z == 10));
        let (l, r) = (
            t.iter().map(|t| t.left).fold(f64::MAX, f64::min),
            t.iter().map(|t| t.left + t.size).fold(f64::MIN, f64::max),
        );
        assert!((-TILE..=0.0).contains(&l) && (640.0..640.0 + TILE).contains(&r));
        let (top, bottom) = (
            t.iter().map(|t| t.top).fold(f64::MAX, f64::min),
            t.iter().map(|t| t.top + t.size).fold(f64::MIN, f64::max),
        );
        assert!(top <= 0.0 && bottom >= 400.0);
        // The whole world at the least zoom: its tiles, none beyond its edge.
        let world = tiles(
            Viewport {
                x: 0.5,
                y: 0.5,
                zoom: MIN_ZOOM,
            },
            (2000.0, 2000.0),
        );
        assert_eq!(world.len(), 16);
    }
}
