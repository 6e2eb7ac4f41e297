//! Import request parameters and answers.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Parameters of `POST /admin/imports/households`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Check every row and report what would be created, writing nothing.
    pub dry_run: Option<bool>,
}

/// What an import creates (or, in a dry run, would create).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"dry_run": true, "rows": 2, "households_created": 1,
    "households_matched": 0, "members_created": 1, "dependants_created": 1, "groups_created": 1}))]
pub struct ImportCounts {
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Data rows read.
    pub rows: usize,
    /// New households.
    pub households_created: usize,
    /// Rows' households that already existed (one live household of that name).
    pub households_matched: usize,
    /// New login members (`pending` until they use their reset code).
    pub members_created: usize,
    /// New dependants.
    pub dependants_created: usize,
    /// New groups (named in the file, not there before).
    pub groups_created: usize,
}

/// A new login member and the one-time code to hand them: with it they set
/// their password (`POST /auth/password-reset`), which also activates them.
#[derive(Debug, Serialize, ToSchema)]
pub struct LoginHandout {
    /// The data row they came from.
    pub row: usize,
    /// The new user.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// Their email (lowercase).
    pub email: String,
    /// Their one-time reset code.
    pub reset_code: String,
    /// When the code stops working (UTC).
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub reset_code_expires_at: NaiveDateTime,
}

/// A real import: what it created, and the codes to hand out.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"dry_run": false, "rows": 2, "households_created": 1,
    "households_matched": 0, "members_created": 1, "dependants_created": 1, "groups_created": 1,
    "logins": [{"row": 1, "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01",
    "email": "ann@example.org", "reset_code": "K7QMX4PR2HNB",
    "reset_code_expires_at": "2026-12-16T08:30:00Z"}]}))]
pub struct ImportReport {
    /// What it created.
    #[serde(flatten)]
    pub counts: ImportCounts,
    /// One per new login member, in row order.
    pub logins: Vec<LoginHandout>,
}
