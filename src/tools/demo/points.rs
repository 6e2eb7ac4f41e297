//! Demo point rules, awards and one correction.

use crate::clock;
use crate::db::{DbConnection, PointRuleId, TenantId, UserId};
use crate::error::ApiError;
use crate::points::dto::AwardRequest;
use crate::points::model::{EntryKind, PointRule};
use crate::points::repo::point_rules;
use crate::points::service::awards::{self, Award};
use crate::points::{Posting, post};
use crate::request_context::RequestMeta;

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

/// Rules, the past awards (by the demo admin, `users[0]`) and one correction.
pub fn seed(conn: &mut DbConnection, tenant: &TenantId, users: &[UserId]) -> Result<(), ApiError> {
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
        point_rules::insert(conn, &rule)?;
        rule_ids.push(rule.id);
    }
    let requests = AWARDS.iter().map(|(member, grant)| {
        let (amount, rule_id, quantity, reason) = match grant {
            Grant::ByRule(rule, quantity) => (
                None,
                Some(rule_ids[*rule].clone()),
                Some((*quantity).into()),
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
    post(
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
