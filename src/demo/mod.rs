//! `hearth demo`: a `demo` tenant with sample data, to try the API (and for the
//! conformance tests to run against): accounts, households, point rules and a
//! little points history. Later areas add their sample data here.

use crate::auth::password::Passwords;
use crate::clock;
use crate::config::Settings;
use crate::db::{Db, DbConnection, HouseholdId, PointRuleId, TenantId, UserId};
use crate::error::ApiError;
use crate::households::{
    self,
    model::{NewHousehold, new_join_code},
};
use crate::http::request_meta::RequestMeta;
use crate::identity::accounts::{self, NewAccount};
use crate::identity::{Role, UserStatus};
use crate::points::awards::{self, Award};
use crate::points::dto::AwardRequest;
use crate::points::ledger::{self, Posting};
use crate::points::model::{EntryKind, PointRule};
use crate::points::rules;
use crate::tenants::{self, NewTenant};

/// Slug of the demo tenant.
pub const TENANT: &str = "demo";

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

/// The demo point rules: (name, unit, points per unit).
const RULES: [(&str, &str, i64); 3] = [
    ("PET bottles", "kg", 10),
    ("Glass", "kg", 5),
    ("Cardboard", "kg", 3),
];

/// Past awards: (member index in ACCOUNTS, rule index and quantity, or direct
/// points and reason).
const AWARDS: [(usize, Grant); 6] = [
    (1, Grant::ByRule(0, "2.5")),
    (1, Grant::Direct(40, "Spring clean-up")),
    (2, Grant::ByRule(1, "3.2")),
    (2, Grant::Direct(40, "Spring clean-up")),
    (3, Grant::ByRule(2, "4")),
    (3, Grant::Direct(15, "Helped at the swap stall")),
];

/// How a demo award is worth its points.
enum Grant {
    ByRule(usize, &'static str),
    Direct(i64, &'static str),
}

/// Creates the demo tenant and prints how to sign in.
pub fn run(settings: &Settings) -> Result<(), String> {
    let db = crate::startup::connect(settings, settings.database.auto_migrate)?;
    let codes = actix_web::rt::System::new()
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
    println!(
        "Point rules and some history are in place: GET /api/v1/points/entries (as a member), \
         GET /api/v1/leaderboards/members."
    );
    println!("Households (join with POST /api/v1/households/join):");
    for ((name, _, _), code) in HOUSEHOLDS.iter().zip(&codes) {
        println!("  {name:<12}  code={code}");
    }
    Ok(())
}

/// Creates the demo data; returns the households' join codes. Refuses (409)
/// when the demo tenant already exists.
pub async fn seed(db: &Db) -> Result<Vec<String>, ApiError> {
    let tenant = NewTenant::parse(TENANT, "Demo Community", "EUR", "Europe/Berlin", "open")
        .map_err(|e| ApiError::internal(format!("demo tenant is invalid: {e:?}")))?;
    let tenant_id = tenant.id().clone();
    let created = db
        .write(move |conn| Ok(tenants::repo::insert_unless_taken(conn, &tenant)?))
        .await?;
    if !created {
        return Err(ApiError::conflict("the demo tenant already exists"));
    }
    let mut codes = Vec::new();
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
    db.write(move |conn| seed_points(conn, &tenant_id, &users))
        .await?;
    Ok(codes)
}

/// Rules, the past awards (by the demo admin, `users[0]`) and one correction.
fn seed_points(
    conn: &mut DbConnection,
    tenant: &TenantId,
    users: &[UserId],
) -> Result<(), ApiError> {
    let mut rule_ids = Vec::new();
    for (name, unit, points_per_unit) in RULES {
        let now = clock::now();
        let rule = PointRule {
            id: PointRuleId::new(),
            tenant_id: tenant.clone(),
            name: name.to_string(),
            unit: unit.to_string(),
            points_per_unit,
            archived_at: None,
            created_at: now,
            updated_at: now,
        };
        rules::insert(conn, &rule)?;
        rule_ids.push(rule.id);
    }
    let requests = AWARDS.iter().map(|(member, grant)| {
        let (amount, rule_id, quantity, reason) = match grant {
            Grant::ByRule(rule, quantity) => (
                None,
                Some(rule_ids[*rule].clone()),
                Some(quantity.to_string()),
                None,
            ),
            Grant::Direct(points, reason) => (Some(*points), None, None, Some(reason.to_string())),
        };
        Award::check(AwardRequest {
            user_id: users[*member].clone(),
            amount,
            rule_id,
            quantity,
            reason,
        })
    });
    let checked = requests.collect::<Result<Vec<_>, ApiError>>()?;
    let resolved = awards::resolve(conn, tenant, checked)?
        .into_iter()
        .collect::<Result<Vec<_>, ApiError>>()?;
    let (admin, meta) = (&users[0], RequestMeta::default());
    awards::post_all(conn, tenant, admin, &resolved, "points.award", &meta)?;
    ledger::post(
        conn,
        tenant,
        Posting {
            user: &users[2],
            amount: -6,
            kind: EntryKind::Adjustment,
            reason: Some("Counted twice at the drop-off"),
            rule: None,
            source: None,
            reverses: None,
            earned: EntryKind::Adjustment.earned(-6),
            actor: Some(admin),
        },
    )?;
    Ok(())
}
