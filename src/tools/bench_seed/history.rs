//! A tenant's year of history: rules, events and attendance, rewards and
//! redemptions, and the ledger entries they all write, inserted in bulk.

use std::collections::HashMap;

use rand::rngs::StdRng;

use super::ledger::Ledger;
use super::people::People;
use super::plan::{Share, Tenant};
use super::{awards, events, rewards};
use crate::db::schema::{attendance_records, events as events_table, point_entries, point_rules};
use crate::db::schema::{redemptions, rewards as rewards_table};
use crate::db::{DbConnection, UserId};
use crate::error::ApiError;
use crate::insert_rows;

/// Writes the rules, events and attendance, rewards and redemptions, and
/// `share.entries` ledger entries; returns each member's (balance, earned).
pub fn seed(
    conn: &mut DbConnection,
    tenant: &Tenant<'_>,
    share: Share,
    people: &People,
    rng: &mut StdRng,
) -> Result<HashMap<UserId, (i64, i64)>, ApiError> {
    let rules = awards::rules(tenant);
    let mut ledger = Ledger::new(tenant, people.members.len());
    let (events, attendance) = events::generate(tenant, share, people, &mut ledger, rng);
    // About one entry in 200 is a redemption (or its refund); awards fill the rest.
    let redemptions_wanted = share.entries / 200;
    let awards = share
        .entries
        .saturating_sub(ledger.len() + redemptions_wanted * 5 / 4);
    awards::award(&mut ledger, awards, &rules, people, rng);
    let (catalogue, redeemed) =
        rewards::generate(tenant, share, people, redemptions_wanted, &mut ledger, rng);
    // Redemptions a member could not afford were not made: awards make up the count.
    let missing = share.entries.saturating_sub(ledger.len());
    awards::award(&mut ledger, missing, &rules, people, rng);
    let (entries, totals) = ledger.finish();

    insert_rows!(conn, point_rules::table, &rules)?;
    insert_rows!(conn, events_table::table, &events)?;
    insert_rows!(conn, rewards_table::table, &catalogue)?;
    insert_rows!(conn, point_entries::table, &entries)?;
    insert_rows!(conn, attendance_records::table, &attendance)?;
    insert_rows!(conn, redemptions::table, &redeemed)?;
    Ok(totals)
}
