//! The dispatcher's queue as they want to see it: filtered by store, service, priority, SLA
//! risk and skill, and sorted by any of them (issue 14). The filter is the shell's to change
//! and the core's to keep and apply, so every shell shows the same queue for it.

use facet::Facet;
use serde::{Deserialize, Serialize};

use domain::ids::StoreId;
use domain::jobs::{Priority, ServiceType};

/// What of the queue is shown, and in which order. `Default`: everything, by SLA deadline.
#[derive(Facet, Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct QueueFilter {
    pub store: Option<StoreId>,
    pub service: Option<ServiceType>,
    pub priority: Option<Priority>,
    /// Only jobs whose SLA deadline is near or past.
    pub at_risk: bool,
    /// A skill code of the catalogue the jobs need.
    pub skill: Option<String>,
    pub sort: QueueSort,
}

#[derive(Facet, Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub enum QueueSort {
    /// Earliest SLA deadline first (then the higher priority).
    #[default]
    Sla,
    /// Highest priority first (then the earliest deadline).
    Priority,
    /// By service, then deadline.
    Service,
    /// By store, then deadline.
    Store,
    /// Waiting longest first.
    Waiting,
}

impl QueueSort {
    pub const ALL: [QueueSort; 5] = [
        QueueSort::Sla,
        QueueSort::Priority,
        QueueSort::Service,
        QueueSort::Store,
        QueueSort::Waiting,
    ];
}
