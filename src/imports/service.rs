//! An import against the tenant: [`plan`] checks the parsed roll against
//! what exists (emails taken, households and groups by name) without
//! writing; [`apply`] writes the plan in the caller's transaction, all or
//! nothing, with a handful of multi-row statements whatever the roll's size.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditEntry};
use crate::auth::invite_code::InviteCodes;
use crate::auth::{Role, TenantCtx, UserKind, UserStatus, tokens};
use crate::clock;
use crate::db::{DbConnection, GroupId, HouseholdId, ResetCodeId, UserId};
use crate::error::{ApiError, FieldError};
use crate::groups::{self, Membership};
use crate::households;
use crate::households::model::{NewHousehold, new_join_code};
use crate::identity::model::NewUser;
use crate::identity::{self, NewResetCode, UserResponse};
use crate::imports::dto::{ImportCounts, ImportReport, LoginHandout};
use crate::imports::roll::RollRow;
use crate::outbox::{self, WebhookEventType};
use crate::request_context::RequestMeta;

/// A checked roll and what writing it takes.
pub struct Plan {
    rows: Vec<RollRow>,
    /// The household of each row, in row order.
    homes: Vec<HouseholdId>,
    new_households: Vec<NewHousehold>,
    /// Every group the roll names, by name.
    groups: HashMap<String, GroupId>,
    new_groups: Vec<groups::model::Group>,
    /// What it creates.
    pub counts: ImportCounts,
}

/// Checks `rows` against the tenant. Failures name their row and column:
/// `email_taken`, or `ambiguous_household` when two live households share the
/// name a row gives.
pub fn plan(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    rows: Vec<RollRow>,
    dry_run: bool,
) -> Result<(Plan, Vec<FieldError>), ApiError> {
    let tenant = &ctx.tenant_id;
    let mut errors = Vec::new();
    let emails: Vec<&str> = rows.iter().filter_map(|r| r.email.as_deref()).collect();
    let taken = identity::emails_taken(conn, tenant, &emails)?;
    let mut names: Vec<&str> = rows.iter().map(|r| r.household.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    let existing = households::live_households_by_names(conn, tenant, &names)?;
    let mut group_names: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.groups.iter().map(String::as_str))
        .collect();
    group_names.sort_unstable();
    group_names.dedup();
    let mut groups = groups::groups_by_names(conn, tenant, &group_names)?;

    let now = clock::now();
    let mut counts = ImportCounts {
        dry_run,
        rows: rows.len(),
        ..ImportCounts::default()
    };
    let (mut homes, mut new_households) = (Vec::new(), Vec::new());
    let mut planned: HashMap<&str, HouseholdId> = HashMap::new();
    for row in &rows {
        if let Some(email) = &row.email
            && taken.contains(email)
        {
            errors.push(FieldError::in_row(
                row.row,
                Some("email"),
                "email_taken",
                "another user of this organisation has this email",
            ));
        }
        let home = match existing.get(&row.household).map(Vec::as_slice) {
            Some([one]) => {
                counts.households_matched += 1;
                one.clone()
            }
            Some(_) => {
                errors.push(FieldError::in_row(
                    row.row,
                    Some("household_name"),
                    "ambiguous_household",
                    "two or more households of this organisation have this name; rename one first",
                ));
                HouseholdId::new()
            }
            None => planned
                .entry(&row.household)
                .or_insert_with(|| {
                    let id = HouseholdId::new();
                    new_households.push(NewHousehold {
                        id: id.clone(),
                        tenant_id: tenant.clone(),
                        name: row.household.clone(),
                        address: first_of(&rows, &row.household, |r| &r.address),
                        zone: first_of(&rows, &row.household, |r| &r.zone),
                        join_code: new_join_code(),
                        created_at: now,
                        updated_at: now,
                    });
                    id
                })
                .clone(),
        };
        homes.push(home);
        match row.kind {
            UserKind::Member => counts.members_created += 1,
            UserKind::Dependant => counts.dependants_created += 1,
        }
    }
    let mut new_groups = Vec::new();
    for name in group_names {
        if !groups.contains_key(name) {
            let group = groups::new_group(tenant, name, None);
            groups.insert(name.to_string(), group.id.clone());
            new_groups.push(group);
        }
    }
    counts.households_created = new_households.len();
    counts.groups_created = new_groups.len();
    let plan = Plan {
        rows,
        homes,
        new_households,
        groups,
        new_groups,
        counts,
    };
    errors.sort_by_key(|e| e.row);
    Ok((plan, errors))
}

/// The first value the rows of `household` give a household column.
fn first_of(
    rows: &[RollRow],
    household: &str,
    column: impl Fn(&RollRow) -> &Option<String>,
) -> Option<String> {
    rows.iter()
        .filter(|r| r.household == household)
        .find_map(|r| column(r).clone())
}

/// A new login member as the stored answer keeps them: the reset code's row
/// id, from which the code is derived each time it is shown.
#[derive(Debug, Serialize, Deserialize)]
struct StoredLogin {
    row: usize,
    user_id: String,
    email: String,
    reset_code_id: ResetCodeId,
    #[serde(with = "crate::clock::rfc3339")]
    reset_code_expires_at: NaiveDateTime,
}

/// An import's answer as stored (for replays): no code in it.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredImport {
    #[serde(flatten)]
    counts: ImportCounts,
    logins: Vec<StoredLogin>,
}

impl StoredImport {
    /// The answer to show: each login's code derived again.
    pub fn reveal(self, ctx: &TenantCtx, codes: &InviteCodes) -> ImportReport {
        let logins = self
            .logins
            .into_iter()
            .map(|login| LoginHandout {
                reset_code: codes.code(&ctx.tenant_id, &login.reset_code_id),
                row: login.row,
                user_id: login.user_id,
                email: login.email,
                reset_code_expires_at: login.reset_code_expires_at,
            })
            .collect();
        ImportReport {
            counts: self.counts,
            logins,
        }
    }
}

/// Writes `plan`: households, people (login members `pending`, without a
/// password, each with a first reset code valid `invite_ttl_secs`), groups
/// and rosters, and one audit event.
pub fn apply(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    plan: Plan,
    (codes, invite_ttl_secs): (&InviteCodes, u64),
    meta: &RequestMeta,
) -> Result<StoredImport, ApiError> {
    let tenant = &ctx.tenant_id;
    households::insert_households(conn, &plan.new_households)?;
    let people: Vec<NewUser> = plan
        .rows
        .iter()
        .zip(&plan.homes)
        .map(|(row, home)| {
            let mut person = match (&row.email, row.kind) {
                (Some(email), UserKind::Member) => NewUser::new(
                    tenant,
                    email.clone(),
                    &row.display_name,
                    None,
                    Role::User,
                    UserStatus::Pending,
                ),
                _ => NewUser::dependant(tenant, home, &row.display_name, None),
            };
            person.household_id = Some(home.clone());
            person
        })
        .collect();
    identity::insert_users(conn, &people)?;
    let ids: Vec<&UserId> = people.iter().map(|p| &p.id).collect();
    let joined = identity::users_by_ids(conn, tenant, &ids)?;
    outbox::emit_all(
        conn,
        tenant,
        WebhookEventType::MemberJoined,
        joined.into_iter().map(UserResponse::from),
    )?;

    let now = clock::now();
    let expires =
        now + Duration::seconds(i64::try_from(invite_ttl_secs).unwrap_or(i64::MAX / 1000));
    let code_ids: Vec<(usize, ResetCodeId)> = people
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == UserKind::Member)
        .map(|(i, _)| (i, ResetCodeId::new()))
        .collect();
    let first_codes: Vec<NewResetCode<'_>> = code_ids
        .iter()
        .map(|(i, id)| NewResetCode {
            id,
            tenant_id: tenant,
            user_id: &people[*i].id,
            code_hash: tokens::hash_token(&codes.code(tenant, id)),
            created_by: &ctx.user_id,
            created_at: now,
            expires_at: expires,
        })
        .collect();
    identity::insert_first_codes(conn, &first_codes)?;

    groups::insert_groups(conn, &plan.new_groups)?;
    let memberships: Vec<Membership<'_>> = plan
        .rows
        .iter()
        .zip(&people)
        .flat_map(|(row, person)| {
            row.groups.iter().map(|name| Membership {
                tenant_id: tenant,
                group_id: &plan.groups[name],
                user_id: &person.id,
            })
        })
        .collect();
    groups::add_members(conn, &memberships)?;

    let counts = plan.counts;
    let summary = format!(
        "{} rows: {} households created, {} matched, {} members, {} dependants, {} groups",
        counts.rows,
        counts.households_created,
        counts.households_matched,
        counts.members_created,
        counts.dependants_created,
        counts.groups_created
    );
    let entry = AuditEntry::new("import.households", meta).by(&ctx.user_id);
    audit::record(
        conn,
        tenant,
        entry.on("tenant", tenant.as_str()).because(&summary),
    )?;

    let logins = code_ids
        .into_iter()
        .map(|(i, reset_code_id)| StoredLogin {
            row: plan.rows[i].row,
            user_id: people[i].id.to_string(),
            email: people[i].email.clone().unwrap_or_default(),
            reset_code_id,
            reset_code_expires_at: expires,
        })
        .collect();
    Ok(StoredImport { counts, logins })
}
