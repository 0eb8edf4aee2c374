//! The board's map as the core keeps it: where the dispatcher is looking (centre, zoom, the
//! map's size on screen) and what is selected. The selection is the board's, not the map's
//! alone: the queue and the technicians' timelines show the same one, so picking on the map
//! or in a list is one event (`MapEvent::Pick`) and every shell agrees on what it does.
//!
//! Positions are Web Mercator, as tile servers cut the world: `(0, 0)` is the north-west
//! corner of the world and `(1, 1)` the south-east; at zoom `z` the world is `256 * 2^z` CSS
//! pixels across. The view (`view::map`) turns them into pixels of the map on screen.

use crux_core::{Command, render::render};
use facet::Facet;
use serde::{Deserialize, Serialize};

use super::{Event, Model};
use crate::effects::Effect;
use domain::ids::{JobId, UserId};
use domain::places::LatLng;

pub const MIN_ZOOM: u8 = 2;
pub const MAX_ZOOM: u8 = 18;
/// A fit never zooms in further, so that a single marker still shows the streets around it.
pub const FIT_MAX_ZOOM: u8 = 15;
/// The side of a tile in CSS pixels.
pub const TILE: f64 = 256.0;
/// The room a fit leaves between the outermost markers and the map's edge (room for labels).
pub const FIT_PADDING: f64 = 36.0;
/// The map's size until the shell says otherwise (`MapEvent::Resize`).
pub const DEFAULT_WIDTH: u32 = 640;
pub const DEFAULT_HEIGHT: u32 = 400;
/// A size beyond these is a broken measurement, not a screen.
const MIN_SIDE: u32 = 120;
const MAX_SIDE: u32 = 4096;
/// A marker selected in a list is brought into view when it is nearer the edge than this.
const REVEAL_MARGIN: f64 = 24.0;
/// Web Mercator's latitude limit: the square world of tiles.
const MAX_LAT: f64 = 85.051_128_78;

/// What a marker stands for, and what can be selected.
#[derive(
    Facet, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
#[repr(C)]
pub enum MapItem {
    Job(JobId),
    Technician(UserId),
}

/// What the dispatcher picked, on the map or in a list.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum MapPick {
    /// A job or a technician: selected in the lists and on the map, brought into view.
    Item(MapItem),
    /// A cluster, as the view listed its members: zoom in until they come apart.
    Cluster(Vec<MapItem>),
    /// Nothing (the map's background).
    Clear,
}

/// The map's events. Distances are CSS pixels of the map as shown, whole ones: a shell's
/// pointer gives no more, and integers cannot be NaN.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[repr(C)]
pub enum MapEvent {
    /// The map dragged by `(dx, dy)`: what was under the pointer stays under it.
    Pan {
        dx: i32,
        dy: i32,
    },
    /// In (`steps > 0`) or out, keeping the point at `(at_x, at_y)` where it is.
    Zoom {
        steps: i32,
        at_x: i32,
        at_y: i32,
    },
    /// Back to showing everything, and following what there is to show.
    Fit,
    /// The map's size on screen.
    Resize {
        width: u32,
        height: u32,
    },
    Pick(MapPick),
    /// The next click on the map's background puts this customer there (`None`: not any more).
    Placing(Option<domain::ids::CustomerId>),
    /// The map's background clicked at `(x, y)` while placing a customer.
    PlaceAt {
        x: i32,
        y: i32,
    },
}

/// Where the map looks: its centre in Web Mercator (`0..=1` both ways) and the zoom level.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: u8,
}

impl Viewport {
    /// The world's width in pixels at this zoom.
    #[must_use]
    pub fn scale(&self) -> f64 {
        TILE * f64::from(1u32 << self.zoom.min(MAX_ZOOM))
    }

    /// Where a world point is on a map `size` pixels large.
    #[must_use]
    pub fn to_screen(&self, size: (f64, f64), (wx, wy): (f64, f64)) -> (f64, f64) {
        let s = self.scale();
        (
            (wx - self.x) * s + size.0 / 2.0,
            (wy - self.y) * s + size.1 / 2.0,
        )
    }

    /// The world point under a pixel of the map.
    #[must_use]
    pub fn to_world(&self, size: (f64, f64), (sx, sy): (f64, f64)) -> (f64, f64) {
        let s = self.scale();
        (
            (sx - size.0 / 2.0) / s + self.x,
            (sy - size.1 / 2.0) / s + self.y,
        )
    }

    /// The centre kept on the world, so that a drag can never lose the map.
    fn clamped(self) -> Self {
        Self {
            x: self.x.clamp(0.0, 1.0),
            y: self.y.clamp(0.0, 1.0),
            zoom: self.zoom.clamp(MIN_ZOOM, MAX_ZOOM),
        }
    }
}

/// The position of a Web Mercator point ([`project`]'s inverse, within its latitudes).
#[must_use]
pub fn unproject((x, y): (f64, f64)) -> LatLng {
    let (x, y) = (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0));
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y))
        .sinh()
        .atan()
        .to_degrees();
    LatLng {
        lat: lat.clamp(-MAX_LAT, MAX_LAT),
        lng: x * 360.0 - 180.0,
    }
}

/// A position in Web Mercator, `0..=1` both ways.
#[must_use]
pub fn project(p: LatLng) -> (f64, f64) {
    let lat = p.lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (p.lng.clamp(-180.0, 180.0) + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x, y.clamp(0.0, 1.0))
}

/// The largest zoom (up to `max`) at which every point fits in the map with the padding, and
/// the centre of their bounds. Nothing to show: the whole world.
#[must_use]
pub fn fit(points: &[(f64, f64)], size: (f64, f64), max: u8) -> Viewport {
    let Some(bounds) = bounds(points) else {
        return Viewport {
            x: 0.5,
            y: 0.5,
            zoom: MIN_ZOOM,
        };
    };
    let (x0, y0, x1, y1) = bounds;
    let room = (
        (size.0 - 2.0 * FIT_PADDING).max(1.0),
        (size.1 - 2.0 * FIT_PADDING).max(1.0),
    );
    let zoom = (MIN_ZOOM..=max.clamp(MIN_ZOOM, MAX_ZOOM))
        .rev()
        .find(|z| {
            let s = TILE * f64::from(1u32 << z);
            (x1 - x0) * s <= room.0 && (y1 - y0) * s <= room.1
        })
        .unwrap_or(MIN_ZOOM);
    Viewport {
        x: f64::midpoint(x0, x1),
        y: f64::midpoint(y0, y1),
        zoom,
    }
}

fn bounds(points: &[(f64, f64)]) -> Option<(f64, f64, f64, f64)> {
    let mut it = points.iter().filter(|p| p.0.is_finite() && p.1.is_finite());
    let first = it.next()?;
    Some(it.fold((first.0, first.1, first.0, first.1), |b, p| {
        (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1))
    }))
}

/// The map between events.
#[derive(Debug, Clone, PartialEq)]
pub struct MapState {
    /// `None`: fit everything shown, whatever comes and goes (the map's first state, and
    /// after `Fit`).
    pub viewport: Option<Viewport>,
    pub width: u32,
    pub height: u32,
    /// The job or technician selected on the map or in a list.
    pub selected: Option<MapItem>,
    /// The customer the next click on the map's background puts there.
    pub placing: Option<domain::ids::CustomerId>,
}

impl Default for MapState {
    fn default() -> Self {
        Self {
            viewport: None,
            width: DEFAULT_WIDTH,
            height: DEFAULT_HEIGHT,
            selected: None,
            placing: None,
        }
    }
}

impl MapState {
    #[must_use]
    pub fn size(&self) -> (f64, f64) {
        (f64::from(self.width), f64::from(self.height))
    }

    /// Where the map looks now: the viewport, or the fit of `points`.
    #[must_use]
    pub fn viewport_or_fit(&self, points: &[(f64, f64)]) -> Viewport {
        self.viewport
            .unwrap_or_else(|| fit(points, self.size(), FIT_MAX_ZOOM))
    }

    /// Applies a move of the map. `place` tells where an item is (`None`: not on the map) and
    /// `points` what a fit must show; they are asked for only when needed, since the board
    /// they come from costs a render to work out.
    pub fn apply<P, F>(&mut self, event: &MapEvent, points: P, place: F)
    where
        P: FnOnce() -> Vec<(f64, f64)>,
        F: Fn(MapItem) -> Option<(f64, f64)>,
    {
        match event {
            MapEvent::Pan { dx, dy } => {
                let mut vp = self.current(points);
                let s = vp.scale();
                vp.x -= f64::from(*dx) / s;
                vp.y -= f64::from(*dy) / s;
                self.viewport = Some(vp.clamped());
            }
            MapEvent::Zoom { steps, at_x, at_y } => {
                let vp = self.current(points);
                let zoom = (i32::from(vp.zoom) + steps.clamp(&-32, &32))
                    .clamp(i32::from(MIN_ZOOM), i32::from(MAX_ZOOM));
                let zoom = u8::try_from(zoom).unwrap_or(MIN_ZOOM);
                let size = self.size();
                let at = (f64::from(*at_x), f64::from(*at_y));
                // The world point under the pointer stays under it.
                let p = vp.to_world(size, at);
                let after = Viewport { zoom, ..vp };
                let q = after.to_world(size, at);
                self.viewport = Some(
                    Viewport {
                        x: vp.x + (p.0 - q.0),
                        y: vp.y + (p.1 - q.1),
                        zoom,
                    }
                    .clamped(),
                );
            }
            MapEvent::Fit => self.viewport = None,
            MapEvent::Resize { width, height } => {
                self.width = (*width).clamp(MIN_SIDE, MAX_SIDE);
                self.height = (*height).clamp(MIN_SIDE, MAX_SIDE);
            }
            MapEvent::Pick(MapPick::Item(item)) => {
                self.selected = Some(*item);
                self.reveal(place(*item));
            }
            MapEvent::Pick(MapPick::Cluster(members)) => {
                let at: Vec<(f64, f64)> = members.iter().filter_map(|m| place(*m)).collect();
                let vp = self.current(points);
                if at.is_empty() {
                    return;
                }
                if vp.zoom >= MAX_ZOOM {
                    // Members at the very same spot never come apart: take the first.
                    self.selected = members.first().copied();
                    return;
                }
                let fitted = fit(&at, self.size(), MAX_ZOOM);
                self.viewport = Some(
                    Viewport {
                        zoom: fitted.zoom.max(vp.zoom + 1).min(MAX_ZOOM),
                        ..fitted
                    }
                    .clamped(),
                );
            }
            MapEvent::Pick(MapPick::Clear) => self.selected = None,
            // Placing is the model's: it makes an op (`update`).
            MapEvent::Placing(_) | MapEvent::PlaceAt { .. } => {}
        }
    }

    /// The position under a pixel of the map as it is shown now.
    #[must_use]
    pub fn position_at<P: FnOnce() -> Vec<(f64, f64)>>(
        &self,
        points: P,
        (x, y): (i32, i32),
    ) -> LatLng {
        let vp = self.current(points);
        unproject(vp.to_world(self.size(), (f64::from(x), f64::from(y))))
    }

    fn current<P: FnOnce() -> Vec<(f64, f64)>>(&self, points: P) -> Viewport {
        match self.viewport {
            Some(vp) => vp,
            None => fit(&points(), self.size(), FIT_MAX_ZOOM),
        }
    }

    /// A selected item out of sight is brought to the centre, at the same zoom. A fit shows
    /// everything already.
    fn reveal(&mut self, at: Option<(f64, f64)>) {
        let (Some(vp), Some(at)) = (self.viewport, at) else {
            return;
        };
        let size = self.size();
        let (x, y) = vp.to_screen(size, at);
        let inside = |v: f64, side: f64| (REVEAL_MARGIN..=side - REVEAL_MARGIN).contains(&v);
        if !(inside(x, size.0) && inside(y, size.1)) {
            self.viewport = Some(
                Viewport {
                    x: at.0,
                    y: at.1,
                    zoom: vp.zoom,
                }
                .clamped(),
            );
        }
    }
}

pub fn update(model: &mut Model, event: MapEvent) -> Command<Effect, Event> {
    // What is on the map, worked out only for the events that need it.
    match event {
        MapEvent::Placing(customer) => {
            model.map.placing = customer;
            return render();
        }
        MapEvent::PlaceAt { x, y } => {
            let Some(customer) = model.map.placing.take() else {
                return Command::done();
            };
            let location = model
                .map
                .position_at(|| crate::view::map::input_of(model).points(), (x, y));
            return Command::all([
                render(),
                super::commit::request(domain::ops::OpKind::PlaceCustomer { customer, location }),
            ]);
        }
        _ => {}
    }
    let needs_board = match &event {
        MapEvent::Placing(_) | MapEvent::PlaceAt { .. } => false,
        MapEvent::Pan { .. } | MapEvent::Zoom { .. } => model.map.viewport.is_none(),
        MapEvent::Pick(MapPick::Item(_)) => model.map.viewport.is_some(),
        MapEvent::Pick(MapPick::Cluster(_)) => true,
        MapEvent::Fit | MapEvent::Resize { .. } | MapEvent::Pick(MapPick::Clear) => false,
    };
    let input = if needs_board {
        crate::view::map::input_of(model)
    } else {
        crate::view::map::MapInput::default()
    };
    let mut state = std::mem::take(&mut model.map);
    state.apply(&event, || input.points(), |item| input.place(item));
    model.map = state;
    if let MapEvent::Pick(MapPick::Item(item)) = event {
        select(model, item);
    }
    render()
}

/// What selecting an item means for the lists: a queued job becomes the one the keyboard is
/// on; a technician's job opens beside the board, as a click on its timeline does.
fn select(model: &mut Model, item: MapItem) {
    let MapItem::Job(id) = item else {
        return;
    };
    let queued = match model.replica.record(&domain::ops::RecordKey::Job(id)) {
        Some(domain::ops::Record::Job(j)) => j.technician.is_none(),
        _ => return,
    };
    if queued {
        model.queue_cursor = Some(id);
    } else if let Some(ui) = model.ui_mut() {
        ui.job = Some(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A position on the map and back is the same position (to well under a metre).
        #[test]
        fn a_position_projected_and_back_is_itself(lat in -85.0f64..85.0, lng in -180.0f64..180.0) {
            let back = unproject(project(LatLng { lat, lng }));
            proptest::prop_assert!((back.lat - lat).abs() < 1e-9 && (back.lng - lng).abs() < 1e-9);
        }
    }

    /// Issue 16, item 5: a customer with no position is picked on the board's map: the job
    /// detail offers it, the next click on the map puts the customer there (one op), and the
    /// map is back to selecting.
    #[test]
    fn a_dispatcher_picks_a_customers_place_on_the_map() {
        use crate::model::fake_shell::drive;
        use crate::model::tests::{signed_in, t0, user_with};
        use crate::model::{DispatcherEvent, Event};
        use crate::view::technician::PlaceFrom;
        use crate::view::{DispatcherScreen, Screen, ViewModel};
        use domain::ops::{Record, RecordKey};
        use domain::org::Role;
        let mut m = signed_in(user_with(Role::Dispatcher));
        let me = m.user().unwrap().clone();
        let job = m
            .replica
            .jobs()
            .find(|j| j.status == domain::jobs::JobStatus::New && me.manages_store(j.store))
            .cloned()
            .unwrap();
        let Some(Record::Customer(mut c)) = m
            .replica
            .record(&RecordKey::Customer(job.customer))
            .cloned()
        else {
            panic!("no customer");
        };
        c.address.location = None;
        m.replica.insert(Record::Customer(c.clone()));
        let send = |m: &mut Model, e: Event| {
            drive(m, e, t0());
        };
        let board = |m: &Model| match ViewModel::from(m).screen {
            Screen::Dispatcher(DispatcherScreen::Board(b)) => b,
            other => panic!("not the board: {other:?}"),
        };
        let card = |m: &Model| {
            board(m)
                .unassigned
                .into_iter()
                .find(|c| c.id == job.id)
                .expect("in the queue")
        };
        let offer = card(&m).place_customer.expect("offered on the queue card");
        assert_eq!((offer.customer, offer.from), (c.id, PlaceFrom::Map));
        send(
            &mut m,
            Event::Dispatcher(DispatcherEvent::Map(MapEvent::Resize {
                width: 800,
                height: 600,
            })),
        );
        send(
            &mut m,
            Event::Dispatcher(DispatcherEvent::Map(MapEvent::Placing(Some(c.id)))),
        );
        assert!(
            board(&m).placing.is_some(),
            "the board says to click the map"
        );
        let expected = m
            .map
            .position_at(|| crate::view::map::input_of(&m).points(), (400, 300));
        let queued = m.outbox.len();
        send(
            &mut m,
            Event::Dispatcher(DispatcherEvent::Map(MapEvent::PlaceAt { x: 400, y: 300 })),
        );
        assert_eq!(m.outbox.len(), queued + 1);
        match m.replica.record(&RecordKey::Customer(c.id)) {
            Some(Record::Customer(c)) => assert_eq!(c.address.location, Some(expected)),
            _ => panic!("no customer"),
        }
        assert!(board(&m).placing.is_none());
        assert!(card(&m).place_customer.is_none(), "on the map now");
        // A click with nothing being placed does nothing.
        send(
            &mut m,
            Event::Dispatcher(DispatcherEvent::Map(MapEvent::PlaceAt { x: 10, y: 10 })),
        );
        assert_eq!(m.outbox.len(), queued + 1);
    }

    const SIZE: (f64, f64) = (640.0, 400.0);

    fn at(lat: f64, lng: f64) -> (f64, f64) {
        project(LatLng { lat, lng })
    }

    fn shanghai() -> Vec<(f64, f64)> {
        vec![at(31.23, 121.47), at(31.20, 121.60), at(31.30, 121.40)]
    }

    fn none() -> Vec<(f64, f64)> {
        Vec::new()
    }

    fn nowhere(_: MapItem) -> Option<(f64, f64)> {
        None
    }

    #[test]
    fn a_fit_shows_every_point_inside_the_padding_at_the_largest_zoom_it_can() {
        let points = shanghai();
        let vp = fit(&points, SIZE, FIT_MAX_ZOOM);
        for p in &points {
            let (x, y) = vp.to_screen(SIZE, *p);
            assert!((FIT_PADDING..=SIZE.0 - FIT_PADDING).contains(&x), "{x}");
            assert!((FIT_PADDING..=SIZE.1 - FIT_PADDING).contains(&y), "{y}");
        }
        let closer = Viewport {
            zoom: vp.zoom + 1,
            ..vp
        };
        assert!(points.iter().any(|p| {
            let (x, y) = closer.to_screen(SIZE, *p);
            !(FIT_PADDING..=SIZE.0 - FIT_PADDING).contains(&x)
                || !(FIT_PADDING..=SIZE.1 - FIT_PADDING).contains(&y)
        }));
        // One point: the streets around it, not the inside of a house.
        assert_eq!(fit(&points[..1], SIZE, FIT_MAX_ZOOM).zoom, FIT_MAX_ZOOM);
        assert_eq!(fit(&[], SIZE, FIT_MAX_ZOOM).zoom, MIN_ZOOM);
    }

    #[test]
    fn a_pan_moves_what_is_under_the_pointer_with_it() {
        let mut map = MapState::default();
        map.apply(&MapEvent::Pan { dx: 30, dy: -20 }, shanghai, nowhere);
        let before = fit(&shanghai(), SIZE, FIT_MAX_ZOOM);
        let after = map.viewport.unwrap();
        assert_eq!(after.zoom, before.zoom);
        let p = shanghai()[0];
        let (a, b) = (before.to_screen(SIZE, p), after.to_screen(SIZE, p));
        assert!((b.0 - a.0 - 30.0).abs() < 1e-6 && (b.1 - a.1 + 20.0).abs() < 1e-6);
    }

    #[test]
    fn a_zoom_keeps_the_point_under_the_pointer_and_stays_within_bounds() {
        let mut map = MapState::default();
        let start = fit(&shanghai(), SIZE, FIT_MAX_ZOOM);
        let pointer = (100.0, 80.0);
        let under = start.to_world(SIZE, pointer);
        map.apply(
            &MapEvent::Zoom {
                steps: 1,
                at_x: 100,
                at_y: 80,
            },
            shanghai,
            nowhere,
        );
        let vp = map.viewport.unwrap();
        assert_eq!(vp.zoom, start.zoom + 1);
        let now = vp.to_screen(SIZE, under);
        assert!((now.0 - pointer.0).abs() < 1e-6 && (now.1 - pointer.1).abs() < 1e-6);
        for steps in [i32::MAX, i32::MIN, 40, -40] {
            map.apply(
                &MapEvent::Zoom {
                    steps,
                    at_x: i32::MAX,
                    at_y: i32::MIN,
                },
                none,
                nowhere,
            );
            let z = map.viewport.unwrap().zoom;
            assert!((MIN_ZOOM..=MAX_ZOOM).contains(&z));
        }
        map.apply(&MapEvent::Fit, none, nowhere);
        assert_eq!(map.viewport, None);
    }

    #[test]
    fn a_size_out_of_reason_is_kept_within_reason() {
        let mut map = MapState::default();
        map.apply(
            &MapEvent::Resize {
                width: 0,
                height: u32::MAX,
            },
            none,
            nowhere,
        );
        assert_eq!((map.width, map.height), (MIN_SIDE, MAX_SIDE));
    }

    #[test]
    fn picking_an_item_out_of_sight_brings_it_to_the_centre() {
        let points = shanghai();
        let far = at(31.0, 122.2);
        let job = MapItem::Job(JobId::from_parts(1, 1));
        let mut map = MapState {
            viewport: Some(fit(&points, SIZE, FIT_MAX_ZOOM)),
            ..MapState::default()
        };
        let zoom = map.viewport.unwrap().zoom;
        map.apply(&MapEvent::Pick(MapPick::Item(job)), none, |_| Some(far));
        assert_eq!(map.selected, Some(job));
        let vp = map.viewport.unwrap();
        assert_eq!(vp.zoom, zoom);
        assert!((vp.x - far.0).abs() < 1e-12 && (vp.y - far.1).abs() < 1e-12);
        // In sight already: the map stays where it is.
        let before = map.viewport;
        map.apply(&MapEvent::Pick(MapPick::Item(job)), none, |_| Some(far));
        assert_eq!(map.viewport, before);
        map.apply(&MapEvent::Pick(MapPick::Clear), none, nowhere);
        assert_eq!(map.selected, None);
    }

    #[test]
    fn picking_a_cluster_zooms_in_on_its_members() {
        let a = MapItem::Job(JobId::from_parts(1, 1));
        let b = MapItem::Job(JobId::from_parts(1, 2));
        let place = |i: MapItem| {
            Some(if i == a {
                at(31.2300, 121.47)
            } else {
                at(31.2303, 121.4704)
            })
        };
        let mut map = MapState::default();
        map.apply(
            &MapEvent::Pick(MapPick::Cluster(vec![a, b])),
            shanghai,
            place,
        );
        let vp = map.viewport.unwrap();
        assert!(vp.zoom > fit(&shanghai(), SIZE, FIT_MAX_ZOOM).zoom);
        let (pa, pb) = (
            vp.to_screen(SIZE, place(a).unwrap()),
            vp.to_screen(SIZE, place(b).unwrap()),
        );
        assert!(pa.0.hypot(pa.1) > 0.0 && (pa.0 - pb.0).hypot(pa.1 - pb.1) > 28.0);
        // At the last zoom, members at one spot: the first is selected.
        map.viewport = Some(Viewport {
            zoom: MAX_ZOOM,
            ..vp
        });
        map.apply(&MapEvent::Pick(MapPick::Cluster(vec![b, a])), none, |_| {
            Some(at(31.23, 121.47))
        });
        assert_eq!(map.selected, Some(b));
    }
}
