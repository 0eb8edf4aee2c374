//! Reader for Solomon / Gehring-Homberger VRPTW text instances, used to measure the solver
//! against published results. Pure parsing: the caller reads the file.
//!
//! Conventions of the benchmark: travel time equals Euclidean distance in double precision,
//! service starts within `[ready, due]`, vehicles leave and return within the depot's window,
//! and the objective is fewest vehicles, then distance.

use super::instance::{Client, Instance, Vehicle};

/// Fixed-point factor for the solver's integer matrices: 1e-4 distance units.
pub const SCALE: f64 = 10_000.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: u32,
    pub x: f64,
    pub y: f64,
    pub demand: i64,
    pub ready: f64,
    pub due: f64,
    pub service: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Solomon {
    pub name: String,
    pub vehicles: u32,
    pub capacity: i64,
    pub depot: Customer,
    pub customers: Vec<Customer>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct SolomonError {
    pub line: usize,
    pub kind: SolomonErrorKind,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SolomonErrorKind {
    #[error("no VEHICLE section with number and capacity")]
    MissingVehicles,
    #[error("no depot or customers")]
    MissingCustomers,
    #[error("expected 7 numbers per customer row, found {0}")]
    BadRow(usize),
    #[error("not a number: {0:?}")]
    NotANumber(String),
    #[error("value out of range: {0}")]
    OutOfRange(&'static str),
    #[error("customer id {0} appears twice")]
    DuplicateId(u32),
    #[error("ready time after due date")]
    EmptyWindow,
}

impl Solomon {
    pub fn parse(text: &str) -> Result<Self, SolomonError> {
        let err = |line: usize, kind| SolomonError { line, kind };
        let mut name = String::new();
        let mut fleet: Option<(u32, i64)> = None;
        let mut section = "";
        let mut rows: Vec<Customer> = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() {
                continue;
            }
            let upper = line.to_ascii_uppercase();
            if upper.starts_with("VEHICLE") {
                section = "vehicle";
                continue;
            }
            if upper.starts_with("CUSTOMER") {
                section = "customer";
                continue;
            }
            let first_is_number = line
                .split_whitespace()
                .next()
                .is_some_and(|t| t.parse::<f64>().is_ok());
            if !first_is_number {
                if name.is_empty() && section.is_empty() {
                    name = line.to_string();
                }
                continue;
            }
            let nums = line
                .split_whitespace()
                .map(|t| {
                    t.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| err(line_no, SolomonErrorKind::NotANumber(t.into())))
                })
                .collect::<Result<Vec<f64>, _>>()?;
            match section {
                "vehicle" if fleet.is_none() => {
                    if nums.len() != 2 {
                        return Err(err(line_no, SolomonErrorKind::MissingVehicles));
                    }
                    let number = to_int(nums[0], 1, 1_000_000)
                        .ok_or_else(|| err(line_no, SolomonErrorKind::OutOfRange("vehicles")))?;
                    let capacity = to_int(nums[1], 0, 1_000_000_000)
                        .ok_or_else(|| err(line_no, SolomonErrorKind::OutOfRange("capacity")))?;
                    fleet = Some((number as u32, capacity));
                }
                "customer" => {
                    if nums.len() != 7 {
                        return Err(err(line_no, SolomonErrorKind::BadRow(nums.len())));
                    }
                    let id = to_int(nums[0], 0, 10_000_000)
                        .ok_or_else(|| err(line_no, SolomonErrorKind::OutOfRange("id")))?;
                    let demand = to_int(nums[3], 0, 1_000_000_000)
                        .ok_or_else(|| err(line_no, SolomonErrorKind::OutOfRange("demand")))?;
                    let limit = 1e9;
                    if nums[1..3].iter().any(|v| v.abs() > limit)
                        || nums[4..7].iter().any(|v| *v < 0.0 || *v > limit)
                    {
                        return Err(err(
                            line_no,
                            SolomonErrorKind::OutOfRange("coordinate or time"),
                        ));
                    }
                    if nums[4] > nums[5] {
                        return Err(err(line_no, SolomonErrorKind::EmptyWindow));
                    }
                    if rows.iter().any(|c| i64::from(c.id) == id) {
                        return Err(err(line_no, SolomonErrorKind::DuplicateId(id as u32)));
                    }
                    rows.push(Customer {
                        id: id as u32,
                        x: nums[1],
                        y: nums[2],
                        demand,
                        ready: nums[4],
                        due: nums[5],
                        service: nums[6],
                    });
                }
                _ => {}
            }
        }
        let last = text.lines().count();
        let (vehicles, capacity) =
            fleet.ok_or_else(|| err(last, SolomonErrorKind::MissingVehicles))?;
        if rows.is_empty() {
            return Err(err(last, SolomonErrorKind::MissingCustomers));
        }
        let depot = rows.remove(0);
        Ok(Self {
            name,
            vehicles,
            capacity,
            depot,
            customers: rows,
        })
    }

    /// Euclidean distance between two customers (0 = depot) in the benchmark's precision.
    pub fn distance(a: &Customer, b: &Customer) -> f64 {
        ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
    }

    /// Lowers to the solver's integer form. Travel times are rounded up so that a schedule the
    /// solver finds feasible is feasible in double precision too; distances are rounded.
    pub fn to_instance(&self) -> Instance {
        let places: Vec<&Customer> = std::iter::once(&self.depot)
            .chain(self.customers.iter())
            .collect();
        let n = places.len();
        let mut time = vec![0; n * n];
        let mut dist = vec![0; n * n];
        for (a, pa) in places.iter().enumerate() {
            for (b, pb) in places.iter().enumerate() {
                let d = Self::distance(pa, pb) * SCALE;
                time[a * n + b] = d.ceil() as i64;
                dist[a * n + b] = d.round() as i64;
            }
        }
        let scaled = |v: f64| (v * SCALE).round() as i64;
        let clients: Vec<Client> = self
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| Client {
                loc: i as u32 + 1,
                service: scaled(c.service),
                windows: (i as u32, i as u32 + 1),
                demand: c.demand,
                prize: 0,
                counts: true,
            })
            .collect();
        let windows = self
            .customers
            .iter()
            .map(|c| (scaled(c.ready), scaled(c.due)))
            .collect();
        let vehicles = (0..self.vehicles)
            .map(|_| Vehicle {
                start_loc: 0,
                end_loc: 0,
                available_from: scaled(self.depot.ready),
                shift_end: scaled(self.depot.due),
                capacity: self.capacity,
                max_jobs: u32::MAX,
                class: 0,
            })
            .collect();
        let mut inst = Instance {
            n_locs: n,
            time,
            dist,
            clients,
            windows,
            vehicles,
            allowed: vec![],
            assign_cost: vec![],
            eta_target: vec![],
            neighbours: vec![],
        };
        let prize = inst.required_prize();
        for c in &mut inst.clients {
            c.prize = prize;
        }
        inst.with_neighbours(100)
    }

    /// Customer ids for solver client indices.
    pub fn ids(&self, clients: &[u32]) -> Vec<u32> {
        clients
            .iter()
            .map(|&c| self.customers[c as usize].id)
            .collect()
    }
}

fn to_int(v: f64, min: i64, max: i64) -> Option<i64> {
    (v.fract() == 0.0 && v >= min as f64 && v <= max as f64).then_some(v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub const TINY: &str = "TINY\n\nVEHICLE\nNUMBER     CAPACITY\n  2         10\n\nCUSTOMER\n\
        CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n\
        0 0 0 0 0 100 0\n1 3 4 5 0 50 1\n2 6 8 5 0 60 1\n";

    #[test]
    fn parses_header_depot_and_customers() {
        let s = Solomon::parse(TINY).expect("valid");
        assert_eq!(s.name, "TINY");
        assert_eq!((s.vehicles, s.capacity), (2, 10));
        assert_eq!(s.depot.due, 100.0);
        assert_eq!(s.customers.len(), 2);
        assert_eq!(s.customers[1].id, 2);
        assert_eq!(Solomon::distance(&s.depot, &s.customers[0]), 5.0);
        let inst = s.to_instance();
        assert_eq!(inst.time(0, 1), 50_000);
        assert_eq!(inst.clients[1].demand, 5);
        assert_eq!(inst.neighbours[0], vec![1]);
    }

    #[test]
    fn rejects_bad_input_with_the_line() {
        let bad_row = TINY.replace("2 6 8 5 0 60 1", "2 6 8 5 0 60");
        assert_eq!(
            Solomon::parse(&bad_row).map_err(|e| e.kind),
            Err(SolomonErrorKind::BadRow(6))
        );
        let window = TINY.replace("2 6 8 5 0 60 1", "2 6 8 5 70 60 1");
        assert_eq!(
            Solomon::parse(&window).map_err(|e| e.kind),
            Err(SolomonErrorKind::EmptyWindow)
        );
        let dup = TINY.replace("2 6 8 5 0 60 1", "1 6 8 5 0 60 1");
        assert!(matches!(
            Solomon::parse(&dup).map_err(|e| e.kind),
            Err(SolomonErrorKind::DuplicateId(1))
        ));
        assert!(Solomon::parse("").is_err());
        assert!(Solomon::parse("X\nVEHICLE\n2 10\n").is_err());
        assert_eq!(
            Solomon::parse(&TINY.replace("0 0 0 0 0 100 0", "0 0 0 0 0 1e999 0"))
                .map_err(|e| e.line),
            Err(10)
        );
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
            let _ = Solomon::parse(&text);
        }

        #[test]
        fn never_panics_on_mangled_instances(cut in 0usize..200, junk in "[0-9 .eE+-]{0,20}") {
            let mut text = TINY.to_string();
            let at = cut.min(text.len());
            let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            text.insert_str(at, &junk);
            if let Ok(s) = Solomon::parse(&text) {
                let inst = s.to_instance();
                proptest::prop_assert_eq!(inst.clients.len(), s.customers.len());
            }
        }
    }
}
