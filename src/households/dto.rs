//! Household request and response bodies.

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::auth::UserKind;
use crate::error::ApiError;
use crate::households::model::Household;
use crate::households::repo::{HouseholdFilter, Member};
use crate::households::rules::optional_text;
use crate::validation::{explicit_null, not_blank};

/// `POST /households/join`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "K7QM-4XPR"}))]
pub struct JoinRequest {
    /// The household's join code (case, spaces and dashes ignored).
    #[limit(chars = 1..=32)]
    pub code: String,
}

/// `POST /admin/households`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "The Smiths", "address": "12 Elm Street", "zone": "north"}))]
pub struct CreateHouseholdRequest {
    /// Name, 1-100 characters.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: String,
    /// Postal address, up to 200 characters.
    #[limit(chars = ..=200)]
    pub address: Option<String>,
    /// Zone or district, up to 50 characters.
    #[limit(chars = ..=50)]
    pub zone: Option<String>,
}

/// `PATCH /admin/households/{id}`: absent fields keep, `null` clears address/zone.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"zone": "south", "address": null}))]
pub struct UpdateHouseholdRequest {
    /// New name.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: Option<String>,
    /// New address; `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(chars = ..=200)]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    /// New zone; `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(chars = ..=50)]
    #[schema(value_type = Option<String>)]
    pub zone: Option<Option<String>>,
}

/// `POST /admin/households/{id}/members`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b"}))]
pub struct AddMemberRequest {
    /// The user to put in this household (moved out of any other).
    #[schema(value_type = String, format = Uuid)]
    pub user_id: crate::db::UserId,
}

/// Filters of `GET /admin/households`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HouseholdsQuery {
    /// Name contains this text (case-insensitive).
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only this zone.
    #[param(max_length = 50)]
    pub zone: Option<String>,
    /// `true`: archived only; `false`: live only; absent: both.
    pub archived: Option<bool>,
}

impl HouseholdsQuery {
    /// The filter asked for; over-long text is a 400.
    pub fn into_filter(self) -> Result<HouseholdFilter, ApiError> {
        for (name, value, max) in [("q", &self.q, 100), ("zone", &self.zone, 50)] {
            if value.as_ref().is_some_and(|v| v.chars().count() > max) {
                return Err(ApiError::bad_request(format!(
                    "{name} must be at most {max} characters"
                )));
            }
        }
        let filter = HouseholdFilter {
            q: optional_text(self.q.as_deref()),
            zone: self.zone,
            archived: self.archived,
        };
        Ok(filter)
    }
}

/// A member as household views show them.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberResponse {
    /// User id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Display name.
    pub display_name: String,
    /// Their points balance.
    pub points_balance: i64,
    /// `member` (signs in) or `dependant` (the household's adults act for them).
    pub kind: UserKind,
    /// A dependant's year of birth, when given.
    pub birth_year: Option<i32>,
}

impl From<Member> for MemberResponse {
    fn from(m: Member) -> Self {
        Self {
            id: m.id.into(),
            display_name: m.display_name,
            points_balance: m.points_balance,
            kind: m.kind,
            birth_year: m.birth_year,
        }
    }
}

/// `POST /households/mine/dependants` and `POST /admin/households/{id}/dependants`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"display_name": "Mia", "birth_year": 2019}))]
pub struct CreateDependantRequest {
    /// Name, 1-100 characters.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub display_name: String,
    /// Year of birth, 1900 to this year (422 `in_future` after it).
    #[limit(range = 1900..=2200)]
    pub birth_year: Option<i32>,
}

/// A household (admin view: includes the join code).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "name": "The Smiths",
    "address": "12 Elm Street", "zone": "north", "join_code": "K7QMX4PR",
    "archived_at": null, "member_count": 3, "created_at": "2026-11-22T08:30:00Z"}))]
pub struct HouseholdResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Zone.
    pub zone: Option<String>,
    /// Code members join with.
    pub join_code: String,
    /// When it was archived; archived households cannot be joined.
    #[serde(with = "crate::clock::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub archived_at: Option<NaiveDateTime>,
    /// Number of members.
    pub member_count: i64,
    /// Creation time.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl HouseholdResponse {
    /// The response for a household with `member_count` members.
    pub fn new(h: Household, member_count: i64) -> Self {
        Self {
            id: h.id.into(),
            name: h.name,
            address: h.address,
            zone: h.zone,
            join_code: h.join_code,
            archived_at: h.archived_at,
            member_count,
            created_at: h.created_at,
        }
    }
}

/// A household with its members.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"household": {"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "name": "The Smiths", "address": "12 Elm Street", "zone": "north", "join_code": "K7QMX4PR",
    "archived_at": null, "member_count": 1, "created_at": "2026-11-22T08:30:00Z"},
    "members": [{"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "display_name": "Ann",
        "points_balance": 120, "kind": "member", "birth_year": null}],
    "points_total": 120, "balance_due": 2500, "credit": 0}))]
pub struct HouseholdDetail {
    /// The household.
    pub household: HouseholdResponse,
    /// Its members, by name.
    pub members: Vec<MemberResponse>,
    /// The members' points balances added up.
    pub points_total: i64,
    /// What the household owes on its charges, in minor units.
    pub balance_due: i64,
    /// What it has paid but not yet used on a charge.
    pub credit: i64,
}

/// A new join code.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"join_code": "K7QMX4PR"}))]
pub struct JoinCodeResponse {
    /// The code; the previous one stops working.
    pub join_code: String,
}
