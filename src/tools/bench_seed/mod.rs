//! `hearth seed-bench`: fills a database with the volume the benchmarks in
//! `bench/` run against: by default 20 tenants, 20,000 members in households,
//! 1,000,000 ledger entries over the past year, 200 rewards with redemptions,
//! 2,000 events with attendance, 50,000 charges and 50,000 payments.
//!
//! The rows are generated here, with every invariant the API keeps (running
//! balances, cached balances, stock, attendee counts, allocations, gapless
//! receipt numbers), and written with multi-row INSERTs, one transaction per
//! tenant. The generator is seeded, so two runs produce the same shape of data.
//! Each area's rows are made in their own file.

mod awards;
mod dues;
mod events;
mod history;
mod ledger;
mod people;
mod plan;
mod rewards;

use diesel::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::auth::password::Passwords;
use crate::clock;
use crate::config::Settings;
use crate::db::schema::{receipt_counters, users};
use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::tenants::{self, NewTenant};

pub use plan::Volume;
use plan::{Share, Tenant};
pub use rewards::CONTENTION_REWARD;

/// Every seeded account's password. Published on purpose: the benchmark
/// tenants exist only to be measured.
pub const PASSWORD: &str = "bench password kettle 2026";

/// Seeds the database and prints how to sign in.
pub fn run(settings: &Settings, volume: &Volume) -> Result<(), String> {
    let share = volume.share()?;
    let db = crate::startup::connect(settings, settings.database.auto_migrate)?;
    let started = std::time::Instant::now();
    actix_web::rt::System::new()
        .block_on(seed(&db, volume))
        .map_err(|e| format!("cannot seed the benchmark data: {}", e.describe()))?;
    println!(
        "Seeded {} tenants (bench-01 …) in {:.1} s. Every account's password is {PASSWORD:?}:",
        volume.tenants,
        started.elapsed().as_secs_f64()
    );
    println!("  admin   email=admin@bench-01.example");
    println!(
        "  member  email=member-00001@bench-01.example … member-{:05}@bench-01.example",
        share.members
    );
    Ok(())
}

/// Seeds every tenant. Refuses (409) when `bench-01` already exists, and
/// (400) a volume too small to share out.
pub async fn seed(db: &Db, volume: &Volume) -> Result<(), ApiError> {
    let share = volume.share().map_err(ApiError::bad_request)?;
    let password_hash = Passwords::new(1).hash(PASSWORD.to_string()).await?;
    for number in 1..=volume.tenants {
        let rng = StdRng::seed_from_u64(volume.seed.wrapping_add(u64::from(number)));
        let hash = password_hash.clone();
        let created = db
            .write(move |conn| seed_tenant(conn, number, share, &hash, rng))
            .await?;
        if !created {
            return Err(ApiError::conflict(format!(
                "tenant bench-{number:02} already exists: seed an empty database"
            )));
        }
        log::info!("seeded tenant bench-{number:02}");
    }
    db.read(|conn| Ok(crate::db::bulk::refresh_statistics(conn)?))
        .await
}

/// One tenant and everything in it, in one transaction; false when its slug
/// is taken.
fn seed_tenant(
    conn: &mut DbConnection,
    number: u16,
    share: Share,
    password_hash: &str,
    mut rng: StdRng,
) -> Result<bool, ApiError> {
    let slug = format!("bench-{number:02}");
    let new = NewTenant::parse(
        &slug,
        &format!("Bench Community {number:02}"),
        "EUR",
        "UTC",
        "open",
    )
    .map_err(|e| ApiError::internal(format!("bench tenant is invalid: {e:?}")))?;
    if !tenants::repo::insert_unless_taken(conn, &new)? {
        return Ok(false);
    }
    let tenant = Tenant {
        id: new.id(),
        slug: &slug,
        currency: "EUR",
        now: clock::now(),
    };
    let people = people::seed(conn, &tenant, share, password_hash, &mut rng)?;
    let balances = history::seed(conn, &tenant, share, &people, &mut rng)?;
    for (user, (balance, earned)) in balances {
        diesel::update(
            users::table
                .filter(users::tenant_id.eq(tenant.id))
                .filter(users::id.eq(user)),
        )
        .set((
            users::points_balance.eq(balance),
            users::points_earned.eq(earned),
        ))
        .execute(conn)?;
    }
    let receipts = dues::seed(conn, &tenant, share, &people, &mut rng)?;
    diesel::update(receipt_counters::table.filter(receipt_counters::tenant_id.eq(tenant.id)))
        .set(receipt_counters::last_number.eq(receipts))
        .execute(conn)?;
    Ok(true)
}
