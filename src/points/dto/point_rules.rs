//! Point rule bodies

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::points::model::PointRule;
use crate::validation::not_blank;

/// `POST /admin/point-rules`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "PET bottles", "unit": "kg", "points_per_unit": 10}))]
pub struct CreateRuleRequest {
    /// What is counted, 1-100 characters.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: String,
    /// Unit of quantity (`kg`, `bottle`), 1-30 characters.
    #[limit(chars = 1..=30)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub unit: String,
    /// Points for one unit, 1-1000000.
    #[limit(range = 1..=1_000_000)]
    pub points_per_unit: i64,
}

/// `PATCH /admin/point-rules/{id}`: absent fields keep their value.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"points_per_unit": 12}))]
pub struct UpdateRuleRequest {
    /// New name.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: Option<String>,
    /// New unit.
    #[limit(chars = 1..=30)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub unit: Option<String>,
    /// New points per unit (past awards keep theirs).
    #[limit(range = 1..=1_000_000)]
    pub points_per_unit: Option<i64>,
}

/// Filters of `GET /admin/point-rules`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RulesQuery {
    /// Include archived rules.
    pub archived: Option<bool>,
}

/// A point rule.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "name": "PET bottles",
    "unit": "kg", "points_per_unit": 10, "archived_at": null,
    "created_at": "2026-11-22T08:30:00Z"}))]
pub struct RuleResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Points per unit.
    pub points_per_unit: i64,
    /// When it was archived (no new awards by it).
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub archived_at: Option<NaiveDateTime>,
    /// Creation time.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl From<PointRule> for RuleResponse {
    fn from(r: PointRule) -> Self {
        Self {
            id: r.id.into(),
            name: r.name,
            unit: r.unit,
            points_per_unit: r.points_per_unit,
            archived_at: r.archived_at,
            created_at: r.created_at,
        }
    }
}
