//! Awards, from request to ledger entry, shared by `POST /admin/points/awards`
//! and its batch form so both apply exactly the same rules: [`Award::check`]
//! validates what the request alone can tell, [`resolve`] consults the
//! database (member, rule, points) without writing, and [`ResolvedAward::post`]
//! writes the entry and its audit event.

use std::collections::{HashMap, HashSet};

use crate::audit::{self, AuditEntry};
use crate::auth::TenantCtx;
use crate::db::{DbConnection, PointRuleId, TenantId, UserId};
use crate::error::{ApiError, ErrorCode, FieldError};
use crate::identity;
use crate::points::dto::AwardRequest;
use crate::points::model::{EntryKind, PointEntry, PointRule};
use crate::points::model::{Quantity, QuantityError};
use crate::points::repo::ledger::Posting;
use crate::points::repo::point_rules;
use crate::points::service::ledger::post;
use crate::request_context::RequestMeta;
use crate::validation::{self, invalid};

/// What an award is worth: a direct amount, or a rule and a quantity.
#[derive(Debug)]
enum Basis {
    Amount(i64),
    Rule(PointRuleId, Quantity),
}

/// An award request whose fields fit together; not yet checked against the
/// database.
#[derive(Debug)]
pub struct Award {
    user_id: UserId,
    basis: Basis,
    reason: Option<String>,
}

/// An award ready to post: the member exists and the points are computed.
#[derive(Debug)]
pub struct ResolvedAward {
    user_id: UserId,
    amount: i64,
    rule: Option<(PointRuleId, i64)>,
    reason: Option<String>,
}

/// A quantity string as the API reads it. A malformed or too precise one is a
/// 400 (the schema's pattern states it); a well-formed one out of range is a
/// 422 field error, like any other rule a schema cannot state.
fn parse_quantity(text: &str) -> Result<Quantity, ApiError> {
    text.parse().map_err(|e: QuantityError| {
        let error = FieldError::new("quantity", e.code(), e.to_string());
        match e {
            QuantityError::OutOfRange => ApiError::validation(vec![error]),
            _ => ApiError::bad_request(format!("quantity {e}")).with_errors(vec![error]),
        }
    })
}

impl Award {
    /// Checks the combination of fields: either `amount` with a `reason`, or
    /// `rule_id` with `quantity`. Field errors name fields of the award itself.
    pub fn check(body: AwardRequest) -> Result<Self, ApiError> {
        let quantity = body
            .quantity
            .as_ref()
            .map(|q| parse_quantity(q.as_str()))
            .transpose()?;
        let basis = match (body.amount, body.rule_id, quantity) {
            (Some(_), None, None) if body.reason.is_none() => {
                return Err(invalid(
                    "reason",
                    "required",
                    "is required with a direct amount",
                ));
            }
            (Some(amount), None, None) => Basis::Amount(amount),
            (None, Some(rule_id), Some(quantity)) => Basis::Rule(rule_id, quantity),
            _ => {
                return Err(invalid(
                    "amount",
                    "invalid_combination",
                    "send either amount, or rule_id and quantity",
                ));
            }
        };
        Ok(Self {
            user_id: body.user_id,
            basis,
            reason: body.reason,
        })
    }

    /// Staff (the drop-off collector) award by rule and quantity only: a
    /// direct amount is an admin's decision (403).
    pub fn ensure_allowed_for(&self, ctx: &TenantCtx) -> Result<(), ApiError> {
        match self.basis {
            Basis::Amount(_) if !ctx.is_admin() => Err(ApiError::forbidden()
                .with_detail("Staff award by rule and quantity; a direct amount needs an admin.")),
            _ => Ok(()),
        }
    }
}

/// Checks `awards` against the tenant's members and live rules with two
/// queries however many there are, and computes their points. Each result
/// belongs to the award at the same position.
pub fn resolve(
    conn: &mut DbConnection,
    tenant: &TenantId,
    awards: Vec<Award>,
) -> Result<Vec<Result<ResolvedAward, ApiError>>, ApiError> {
    let user_ids: Vec<&UserId> = awards.iter().map(|a| &a.user_id).collect();
    let members: HashSet<UserId> = identity::existing_user_ids(conn, tenant, &user_ids)?;
    let live_rules = live_rules_of(conn, tenant, &awards)?;
    Ok(awards
        .into_iter()
        .map(|award| award.resolve_with(Some(&members), &live_rules))
        .collect())
}

/// The live rules `awards` name, by id.
fn live_rules_of(
    conn: &mut DbConnection,
    tenant: &TenantId,
    awards: &[Award],
) -> Result<HashMap<PointRuleId, PointRule>, ApiError> {
    let rule_ids: Vec<&PointRuleId> = awards
        .iter()
        .filter_map(|a| match &a.basis {
            Basis::Rule(id, _) => Some(id),
            Basis::Amount(_) => None,
        })
        .collect();
    // Most awards give an amount: no rule to look up, no query.
    if rule_ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(point_rules::live_by_ids(conn, tenant, &rule_ids)?
        .into_iter()
        .map(|rule| (rule.id.clone(), rule))
        .collect())
}

fn unknown_user() -> ApiError {
    invalid(
        "user_id",
        "unknown_user",
        "no user of this organisation has this id",
    )
}

impl Award {
    /// `members`: the tenant's users among those named, or `None` when
    /// posting will find out (a single award).
    fn resolve_with(
        self,
        members: Option<&HashSet<UserId>>,
        live_rules: &HashMap<PointRuleId, PointRule>,
    ) -> Result<ResolvedAward, ApiError> {
        let (amount, rule) = match self.basis {
            Basis::Amount(amount) => (amount, None),
            Basis::Rule(rule_id, quantity) => {
                let rule = live_rules.get(&rule_id).ok_or_else(|| {
                    invalid(
                        "rule_id",
                        "unknown_rule",
                        "no active rule of this organisation has this id",
                    )
                })?;
                let points = quantity.points(rule.points_per_unit);
                if points == 0 {
                    return Err(invalid(
                        "quantity",
                        "too_small",
                        "earns no points at this rule's rate",
                    ));
                }
                (points, Some((rule_id, quantity.milli())))
            }
        };
        if members.is_some_and(|members| !members.contains(&self.user_id)) {
            return Err(unknown_user());
        }
        Ok(ResolvedAward {
            user_id: self.user_id,
            amount,
            rule,
            reason: self.reason,
        })
    }
}

impl ResolvedAward {
    /// Writes the entry and its `action` audit event by `actor` (call inside
    /// `write_tx`).
    pub fn post(
        &self,
        conn: &mut DbConnection,
        tenant: &TenantId,
        actor: &UserId,
        action: &str,
        meta: &RequestMeta,
    ) -> Result<PointEntry, ApiError> {
        let entry = post(
            conn,
            tenant,
            Posting {
                user: &self.user_id,
                amount: self.amount,
                kind: EntryKind::Award,
                reason: self.reason.as_deref(),
                rule: self.rule.as_ref().map(|(id, milli)| (id, *milli)),
                source: None,
                reverses: None,
                earned: EntryKind::Award.earned(self.amount),
                actor: Some(actor),
            },
        )?;
        audit::record(
            conn,
            tenant,
            AuditEntry::new(action, meta)
                .by(actor)
                .on("point_entry", entry.id.as_str()),
        )?;
        Ok(entry)
    }
}

/// Posts every award (call inside `write_tx`) and returns the entries in the
/// order of `awards`. Members' rows are locked in id order, whatever the order
/// of the items, so two batches naming the same members cannot deadlock on
/// PostgreSQL; a member's own items keep their order (a stable sort).
pub fn post_all(
    conn: &mut DbConnection,
    tenant: &TenantId,
    actor: &UserId,
    awards: &[ResolvedAward],
    action: &str,
    meta: &RequestMeta,
) -> Result<Vec<PointEntry>, ApiError> {
    let mut lock_order: Vec<usize> = (0..awards.len()).collect();
    lock_order.sort_by(|&a, &b| awards[a].user_id.cmp(&awards[b].user_id));
    let mut entries: Vec<Option<PointEntry>> = vec![None; awards.len()];
    for index in lock_order {
        entries[index] = Some(awards[index].post(conn, tenant, actor, action, meta)?);
    }
    Ok(entries.into_iter().flatten().collect())
}

/// Awards one checked award (`POST /admin/points/awards`). No member query
/// first: posting the entry finds the member in the tenant, or refuses it.
pub fn award_one(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    award: Award,
    meta: &RequestMeta,
) -> Result<PointEntry, ApiError> {
    let live_rules = live_rules_of(conn, &ctx.tenant_id, std::slice::from_ref(&award))?;
    let resolved = award.resolve_with(None, &live_rules)?;
    resolved
        .post(conn, &ctx.tenant_id, &ctx.user_id, "points.award", meta)
        .map_err(|e| {
            if e.is(ErrorCode::NotFound) {
                unknown_user()
            } else {
                e
            }
        })
}

/// Awards every checked award or none: a refused item fails the whole batch
/// with every refused item's fields named (`items[i].field`).
pub fn award_all(
    conn: &mut DbConnection,
    ctx: &TenantCtx,
    awards: Vec<Award>,
    meta: &RequestMeta,
) -> Result<Vec<PointEntry>, ApiError> {
    let resolved = validation::all_items(resolve(conn, &ctx.tenant_id, awards)?)?;
    let (tenant, actor) = (&ctx.tenant_id, &ctx.user_id);
    post_all(conn, tenant, actor, &resolved, "points.award_batch", meta)
}
