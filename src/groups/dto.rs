//! Group request and response bodies.

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::UserId;
use crate::groups::model::Group;
use crate::validation::{explicit_null, not_blank};

/// `POST /admin/groups`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Class 2B", "description": "Ms Reyes, Tuesdays"}))]
pub struct CreateGroupRequest {
    /// Name, 1-100 characters, unique in the organisation.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: String,
    /// What the group is, up to 500 characters.
    #[limit(chars = ..=500)]
    pub description: Option<String>,
}

/// `PATCH /admin/groups/{id}`: absent fields keep, `null` clears the description.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Class 3B"}))]
pub struct UpdateGroupRequest {
    /// New name.
    #[limit(chars = 1..=100)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: Option<String>,
    /// New description; `null` clears it.
    #[serde(default, deserialize_with = "explicit_null")]
    #[limit(chars = ..=500)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
}

/// `PUT /admin/groups/{id}/members`: the whole roster.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_ids": ["0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01"]}))]
pub struct SetMembersRequest {
    /// 0-2,000 members or dependants of the organisation, each once.
    #[limit(items = 0..=2000)]
    #[schema(value_type = Vec<String>)]
    pub user_ids: Vec<UserId>,
}

/// A group.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a91", "name": "Class 2B",
    "description": null, "member_count": 24, "created_at": "2026-12-02T08:30:00Z"}))]
pub struct GroupResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// How many are on its roster.
    pub member_count: i64,
    /// Creation time (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl GroupResponse {
    /// The response for `group` with `member_count` on its roster.
    pub fn new(group: Group, member_count: i64) -> Self {
        Self {
            id: group.id.into(),
            name: group.name,
            description: group.description,
            member_count,
            created_at: group.created_at,
        }
    }
}

/// A group with its roster.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDetail {
    /// The group.
    #[serde(flatten)]
    pub group: GroupResponse,
    /// Its roster, by id.
    #[schema(value_type = Vec<String>)]
    pub user_ids: Vec<String>,
}
