//! What is seeded: the volume asked for, each tenant's share of it, and the
//! tenant being filled.

use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use crate::db::TenantId;

/// How much to seed; the defaults are the benchmark's volume. Every count is
/// a total over all tenants, shared out evenly.
#[derive(Debug, Clone, clap::Args)]
pub struct Volume {
    /// Tenants, named bench-01, bench-02, …
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=99))]
    pub tenants: u16,
    /// Members (role user), about 2.5 per household.
    #[arg(long, default_value_t = 20_000)]
    pub members: usize,
    /// Ledger entries, spread over the past year.
    #[arg(long, default_value_t = 1_000_000)]
    pub entries: usize,
    /// Rewards in the catalogues.
    #[arg(long, default_value_t = 200)]
    pub rewards: usize,
    /// Events, most of them past and with attendance.
    #[arg(long, default_value_t = 2_000)]
    pub events: usize,
    /// Charges, and as many payments.
    #[arg(long, default_value_t = 50_000)]
    pub charges: usize,
    /// Seed of the random generator.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
}

/// What one tenant gets.
#[derive(Debug, Clone, Copy)]
pub struct Share {
    pub members: usize,
    pub households: usize,
    pub entries: usize,
    pub rewards: usize,
    pub events: usize,
    pub charges: usize,
}

impl Volume {
    /// Each tenant's share, or why the volume cannot be seeded.
    pub fn share(&self) -> Result<Share, String> {
        let tenants = usize::from(self.tenants);
        let each = |total: usize, what: &str, least: usize| {
            let share = total / tenants;
            if share < least {
                Err(format!(
                    "--{what} must be at least {} for {tenants} tenants",
                    least * tenants
                ))
            } else {
                Ok(share)
            }
        };
        let members = each(self.members, "members", 1)?;
        Ok(Share {
            members,
            households: members.div_ceil(5) * 2,
            entries: each(self.entries, "entries", 1)?,
            rewards: each(self.rewards, "rewards", 1)?,
            events: each(self.events, "events", 1)?,
            charges: each(self.charges, "charges", 0)?,
        })
    }
}

/// One tenant being seeded: who it is and when "now" is.
pub struct Tenant<'a> {
    pub id: &'a TenantId,
    pub slug: &'a str,
    pub currency: &'a str,
    pub now: NaiveDateTime,
}

impl Tenant<'_> {
    /// A year before now: where the history starts.
    pub fn history_start(&self) -> NaiveDateTime {
        self.now - Duration::days(365)
    }
}

/// A random time in `[from, until)` (whole seconds).
pub fn time_between(rng: &mut StdRng, from: NaiveDateTime, until: NaiveDateTime) -> NaiveDateTime {
    let span = (until - from).num_seconds().max(1);
    from + Duration::seconds(rng.random_range(0..span))
}
