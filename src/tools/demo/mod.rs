//! `hearth demo`: a `demo` tenant with sample data, to try the API (and for the
//! conformance tests to run against): accounts, households, point rules and
//! history, rewards and redemptions, events and attendance, charges and
//! payments, dependants with badge cards, staff, a class group and a webhook
//! endpoint. Each
//! area's sample data is in its own file.

mod attendance;
mod payments;
mod people;
mod points;
mod rewards;
mod webhooks;

pub use people::STAFF;

use crate::auth::badge_code::BadgeCodes;
use crate::auth::password::Passwords;
use crate::auth::{Role, Scopes, UserStatus};
use crate::clock;
use crate::config::Settings;
use crate::db::{BadgeId, Db, HouseholdId, TenantId, WebhookEndpointId};
use crate::error::ApiError;
use crate::households::{
    self,
    model::{NewHousehold, new_join_code},
};
use crate::identity::service::accounts::{self, NewAccount};
use crate::mail;
use crate::request_context::RequestMeta;
use crate::tenants::{self, NewTenant};

/// Slug of the demo tenant.
pub const TENANT: &str = "demo";
/// Its currency.
const CURRENCY: &str = "EUR";

/// The demo accounts: (email, display name, password, role, household index).
/// The passwords are published here on purpose: this tenant exists only to be
/// tried out.
pub const ACCOUNTS: [(&str, &str, &str, Role, Option<usize>); 4] = [
    (
        "admin@demo.example",
        "Dana Admin",
        "demo admin kettle 2026",
        Role::Admin,
        None,
    ),
    (
        "ann@demo.example",
        "Ann Member",
        "demo member kettle ann",
        Role::User,
        Some(0),
    ),
    (
        "bob@demo.example",
        "Bob Member",
        "demo member kettle bob",
        Role::User,
        Some(0),
    ),
    (
        "cara@demo.example",
        "Cara Member",
        "demo member kettle cara",
        Role::User,
        Some(1),
    ),
];

/// The demo households: (name, address, zone).
const HOUSEHOLDS: [(&str, &str, &str); 3] = [
    ("The Millers", "12 Elm Street", "north"),
    ("Flat 3B", "4 Station Road", "south"),
    ("The Okafors", "9 Mill Lane", "north"),
];

/// Creates the demo tenant and prints how to sign in.
pub fn run(settings: &Settings) -> Result<(), String> {
    let db = crate::startup::connect(settings, settings.database.auto_migrate)?;
    let seeded = actix_web::rt::System::new()
        .block_on(seed(&db))
        .map_err(|e| format!("cannot create the demo data: {}", e.describe()))?;
    println!(
        "Created tenant `{TENANT}` (registration open). Sign in with POST /api/v1/auth/login:"
    );
    for (email, _, password, role, _) in ACCOUNTS {
        println!(
            "  {:<5}  tenant={TENANT}  email={email}  password={password:?}",
            role.as_str()
        );
    }
    for (email, _, password, scopes) in STAFF {
        println!("  staff  tenant={TENANT}  email={email}  password={password:?}  scopes={scopes}");
    }
    println!(
        "Points, rewards, events and dues are in place: as a member try GET /api/v1/points/entries, \
         /api/v1/leaderboards/members, /api/v1/rewards, /api/v1/redemptions, /api/v1/events, \
         /api/v1/households/mine/statement; as the admin GET /api/v1/admin/refunds and \
         /api/v1/admin/charge-schedules (a monthly fee from the 1st, Berlin time)."
    );
    println!("Households (join with POST /api/v1/households/join):");
    for ((name, _, _), code) in HOUSEHOLDS.iter().zip(&seeded.join_codes) {
        println!("  {name:<12}  code={code}");
    }
    println!(
        "The Millers' children are dependants in Class 2B, which the workshop is for. \
         Their badge cards (print as QR; the door volunteer scans them with \
         POST /api/v1/admin/events/{{id}}/scans):"
    );
    let cards = BadgeCodes::new(&settings.auth);
    for (name, badge) in &seeded.badges {
        println!(
            "  {name:<12}  badge={}",
            cards.code(&seeded.tenant_id, badge)
        );
    }
    let (webhook, secret) = &seeded.webhook;
    println!(
        "A webhook endpoint for payments and refunds waits, disabled, at {}: point it at your \
         receiver with PATCH /api/v1/admin/webhooks/{webhook} {{\"url\": …, \"enabled\": true}} \
         and verify its deliveries with the secret {secret} (README: Receiving webhooks).",
        webhooks::URL
    );
    let mail = if settings.mail.is_on() {
        format!("the postman sends them through {}", settings.mail.host)
    } else {
        "mail is off: set HEARTH_MAIL__HOST (README: Mail) and they go while still current"
            .to_string()
    };
    println!(
        "{} messages (dues notices, a reward ready) wait for the members; {mail}. \
         Ask for a reset code with POST /api/v1/auth/password-reset/request \
         {{\"tenant\": \"{TENANT}\", \"email\": \"{}\"}}.",
        seeded.mail_waiting, ACCOUNTS[1].0
    );
    Ok(())
}

/// What the demo created that its output shows.
#[derive(Debug)]
pub struct Seeded {
    /// The demo tenant.
    pub tenant_id: TenantId,
    /// The households' join codes, in [`HOUSEHOLDS`] order.
    pub join_codes: Vec<String>,
    /// The children's names and badge cards.
    pub badges: Vec<(String, BadgeId)>,
    /// The (disabled) webhook endpoint and its signing secret.
    pub webhook: (WebhookEndpointId, String),
    /// Mail the demo's charges and redemptions wrote, waiting to be sent.
    pub mail_waiting: i64,
}

/// Creates the demo data. Refuses (409) when the demo tenant already exists.
pub async fn seed(db: &Db) -> Result<Seeded, ApiError> {
    let tenant = NewTenant::parse(TENANT, "Demo Community", CURRENCY, "Europe/Berlin", "open")
        .map_err(|e| ApiError::internal(format!("demo tenant is invalid: {e:?}")))?;
    let tenant_id = tenant.id().clone();
    let created = db
        .write(move |conn| Ok(tenants::repo::insert_unless_taken(conn, &tenant)?))
        .await?;
    if !created {
        return Err(ApiError::conflict("the demo tenant already exists"));
    }
    let mut codes = Vec::new();
    let mut household_ids = Vec::new();
    for (name, address, zone) in HOUSEHOLDS {
        let now = clock::now();
        let household = NewHousehold {
            id: HouseholdId::new(),
            tenant_id: tenant_id.clone(),
            name: name.to_string(),
            address: Some(address.to_string()),
            zone: Some(zone.to_string()),
            join_code: new_join_code(),
            created_at: now,
            updated_at: now,
        };
        codes.push(household.join_code.clone());
        household_ids.push(household.id.clone());
        db.write(move |conn| Ok(households::repo::insert(conn, &household)?))
            .await?;
    }
    let passwords = Passwords::new(0);
    let mut users = Vec::new();
    for (email, name, password, role, household) in ACCOUNTS {
        let account = NewAccount {
            tenant: tenant_id.clone(),
            email: email.to_string(),
            display_name: name.to_string(),
            password: password.to_string(),
            role,
            scopes: Scopes::NONE,
            status: UserStatus::Active,
            household_code: household.map(|i| codes[i].clone()),
        };
        let user = accounts::create(
            db,
            &passwords,
            account,
            None,
            "user.create",
            RequestMeta::default(),
        )
        .await?;
        users.push(user.id);
    }
    for account in people::staff_accounts(&tenant_id)? {
        let meta = RequestMeta::default();
        accounts::create(db, &passwords, account, None, "user.create", meta).await?;
    }
    let tenant = tenant_id.clone();
    let (badges, webhook, mail_waiting) = db
        .write(move |conn| {
            points::seed(conn, &tenant, &users)?;
            rewards::seed(conn, &tenant, &users)?;
            let workshop = attendance::seed(conn, &tenant, &users)?;
            payments::seed(conn, &tenant, &users, &household_ids, CURRENCY)?;
            let badges = people::seed(conn, &tenant, &users[0], &household_ids[0], &workshop)?;
            let webhook = webhooks::seed(conn, &tenant)?;
            Ok((badges, webhook, mail::repo::count_pending(conn, &tenant)?))
        })
        .await?;
    Ok(Seeded {
        tenant_id,
        join_codes: codes,
        badges,
        webhook,
        mail_waiting,
    })
}
