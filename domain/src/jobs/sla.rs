//! Service-level deadlines. The promise depends on what the customer pays for (tier) and on
//! what went wrong (service type); the deadline is fixed when the job is created.

use chrono::{DateTime, Duration, Utc};

use super::{Priority, ServiceType};
use crate::customers::Tier;
use crate::org::OrgSettings;

/// Hours from creation to the SLA deadline, by the standard promise (an organization may set
/// its own per tier and service type: [`hours_in`]).
#[must_use]
pub fn hours(tier: Tier, service: ServiceType, priority: Priority) -> u32 {
    urgent(standard_hours(tier, service), priority)
}

/// Hours from creation to the SLA deadline in an organization: its own promise for the tier
/// and service type where it set one, else the standard one.
#[must_use]
pub fn hours_in(
    settings: &OrgSettings,
    tier: Tier,
    service: ServiceType,
    priority: Priority,
) -> u32 {
    urgent(settings.sla_base_hours(tier, service), priority)
}

/// An urgent job is promised within a day whatever the tier, never later than its tier says.
fn urgent(base: u32, priority: Priority) -> u32 {
    if priority == Priority::Urgent {
        base.min(24)
    } else {
        base
    }
}

/// The standard promise for a tier and service type, in hours.
#[must_use]
pub fn standard_hours(tier: Tier, service: ServiceType) -> u32 {
    use ServiceType as S;
    use Tier as T;
    match service {
        S::EmergencyRepair => tier.emergency_repair_hours().unwrap_or(match tier {
            T::Silver => 72,
            _ => 96,
        }),
        S::Repair => match tier {
            T::Diamond => 48,
            T::Gold => 72,
            T::Silver => 120,
            T::Standard => 168,
        },
        S::Installation => match tier {
            T::Diamond => 72,
            T::Gold => 96,
            T::Silver => 120,
            T::Standard => 168,
        },
        S::Tuning | S::Maintenance | S::Inspection => match tier {
            T::Diamond => 120,
            T::Gold => 168,
            T::Silver => 240,
            T::Standard => 336,
        },
    }
}

#[must_use]
pub fn deadline(
    created: DateTime<Utc>,
    tier: Tier,
    service: ServiceType,
    priority: Priority,
) -> DateTime<Utc> {
    created + Duration::hours(i64::from(hours(tier, service, priority)))
}

/// The deadline of a job created in an organization (its own promises).
#[must_use]
pub fn deadline_in(
    settings: &OrgSettings,
    created: DateTime<Utc>,
    tier: Tier,
    service: ServiceType,
    priority: Priority,
) -> DateTime<Utc> {
    created + Duration::hours(i64::from(hours_in(settings, tier, service, priority)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diamond_emergency_repair_is_within_24_hours() {
        assert_eq!(
            hours(
                Tier::Diamond,
                ServiceType::EmergencyRepair,
                Priority::Normal
            ),
            24
        );
    }

    #[test]
    fn a_higher_tier_never_waits_longer() {
        let tiers = [Tier::Standard, Tier::Silver, Tier::Gold, Tier::Diamond];
        for s in [
            ServiceType::Tuning,
            ServiceType::Repair,
            ServiceType::EmergencyRepair,
            ServiceType::Installation,
        ] {
            for w in tiers.windows(2) {
                assert!(hours(w[1], s, Priority::Normal) <= hours(w[0], s, Priority::Normal));
            }
        }
    }
}
