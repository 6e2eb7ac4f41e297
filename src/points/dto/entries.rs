//! Ledger bodies

use chrono::NaiveDateTime;
use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::calendar::Calendar;
use crate::datetime::Bound;
use crate::db::{HouseholdId, UserId};
use crate::points::model::EntryKind;
use crate::points::repo::entries::EntryFilter;
use crate::validation::not_blank;

/// `POST /admin/points/awards`: either `amount` (with a `reason`), or
/// `rule_id` + `quantity` (points = quantity × the rule's points per unit,
/// rounded half to even).
// Serialize: validator's `length` check on a batch's `items` records the value.
#[limits]
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "rule_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a11", "quantity": "2.345",
    "reason": "Recycling drop-off"}))]
pub struct AwardRequest {
    /// The member to award.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: crate::db::UserId,
    /// Points to award directly, 1-1000000.
    #[limit(range = 1..=1_000_000)]
    pub amount: Option<i64>,
    /// The rule to award by.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub rule_id: Option<crate::db::PointRuleId>,
    /// Quantity for the rule: a decimal with at most 3 decimals (`2.345` or
    /// `"2.345"`), more than 0 and at most 1000000.
    pub quantity: Option<crate::points::model::QuantityText>,
    /// Why, shown to the member; required for direct amounts.
    #[limit(chars = 1..=200)]
    pub reason: Option<String>,
}

/// `POST /admin/points/awards/batch`: awards written all together or not at all.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"items": [
    {"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "amount": 20, "reason": "Litter pick"},
    {"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01",
     "rule_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a11", "quantity": "2.345"}]}))]
pub struct BatchAwardRequest {
    /// 1-500 awards, each like the body of `POST /admin/points/awards`.
    #[limit(items = 1..=500)]
    #[validate(nested)]
    pub items: Vec<AwardRequest>,
}

/// The entries a batch award wrote, in the order of its items.
#[derive(Debug, Serialize, ToSchema)]
pub struct BatchAwardResponse {
    /// One entry per item, in item order.
    pub entries: Vec<EntryResponse>,
}

/// What an entry refers to.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceResponse {
    /// Kind of source (`redemption`, `event`, …).
    #[serde(rename = "type")]
    pub source_type: String,
    /// Its id.
    pub id: String,
}

/// A ledger entry.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b",
    "user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a01", "household_id": null, "amount": 23,
    "balance_after": 123, "kind": "award", "reason": "Recycling drop-off",
    "rule_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a11", "quantity": "2.345", "source": null,
    "reverses_id": null, "actor_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a02",
    "created_at": "2026-11-22T08:30:00Z"}))]
pub struct EntryResponse {
    /// Id.
    #[schema(value_type = String, format = Uuid)]
    pub id: String,
    /// Whose points.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: String,
    /// The member's household at the time.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<String>,
    /// Points moved (negative for spending and reversals of awards).
    pub amount: i64,
    /// Balance right after this entry.
    pub balance_after: i64,
    /// Kind.
    pub kind: crate::points::model::EntryKind,
    /// Why.
    pub reason: Option<String>,
    /// Rule of a rule-based award.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub rule_id: Option<String>,
    /// Quantity of a rule-based award (decimal string).
    pub quantity: Option<String>,
    /// What caused it.
    pub source: Option<SourceResponse>,
    /// The entry this one reverses.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub reverses_id: Option<String>,
    /// Who wrote it.
    #[schema(value_type = Option<String>, format = Uuid)]
    pub actor_id: Option<String>,
    /// When.
    #[serde(with = "crate::clock::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
}

impl From<crate::points::model::PointEntry> for EntryResponse {
    fn from(e: crate::points::model::PointEntry) -> Self {
        Self {
            kind: e.kind,
            id: e.id.into(),
            user_id: e.user_id.into(),
            household_id: e.household_id.map(Into::into),
            amount: e.amount,
            balance_after: e.balance_after,
            reason: e.reason,
            rule_id: e.rule_id.map(Into::into),
            quantity: e
                .quantity_milli
                .and_then(|q| crate::points::model::Quantity::from_milli(q).ok())
                .map(|q| q.to_string()),
            source: e
                .source_type
                .zip(e.source_id)
                .map(|(source_type, id)| SourceResponse { source_type, id }),
            reverses_id: e.reverses_id.map(Into::into),
            actor_id: e.actor_id.map(Into::into),
            created_at: e.created_at,
        }
    }
}

/// `POST /admin/points/adjustments`: a manual correction, up or down.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b", "amount": -15,
    "reason": "Counted twice at the drop-off"}))]
pub struct AdjustmentRequest {
    /// The member whose balance is corrected.
    #[schema(value_type = String, format = Uuid)]
    pub user_id: crate::db::UserId,
    /// Points to add (positive) or take away (negative); not 0, at most 1000000 either way.
    #[validate(
        range(min = -1_000_000, max = 1_000_000, code = "out_of_range", message = "must be between -1000000 and 1000000"),
        custom(function = "not_zero")
    )]
    #[schema(schema_with = nonzero_points)]
    pub amount: i64,
    /// Why (required, shown to the member).
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub reason: String,
}

/// An integer from -1000000 to 1000000 that is not 0.
fn nonzero_points() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let range = |min: i64, max: i64| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(min))
            .maximum(Some(max))
    };
    OneOfBuilder::new()
        .item(range(-1_000_000, -1))
        .item(range(1, 1_000_000))
        .description(Some(
            "Points to add (positive) or take away (negative); never 0.",
        ))
        .build()
        .into()
}

fn not_zero(amount: i64) -> Result<(), validator::ValidationError> {
    if amount == 0 {
        let mut e = validator::ValidationError::new("zero");
        e.message = Some("must not be 0".into());
        return Err(e);
    }
    Ok(())
}

/// `POST /admin/points/entries/{id}/reverse`.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Awarded to the wrong member"}))]
pub struct ReverseRequest {
    /// Why (required, shown to the member).
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub reason: String,
}

/// Filters of `GET /admin/points/entries`.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EntriesQuery {
    /// Only this member.
    #[param(value_type = Option<String>, format = Uuid)]
    pub user_id: Option<UserId>,
    /// Only this household.
    #[param(value_type = Option<String>, format = Uuid)]
    pub household_id: Option<HouseholdId>,
    /// Only this kind.
    pub kind: Option<EntryKind>,
    /// Entries at or after (a date: from that local day on).
    #[param(value_type = Option<Bound>)]
    pub from: Option<Bound>,
    /// Entries before (a date: through that local day).
    #[param(value_type = Option<Bound>)]
    pub to: Option<Bound>,
}

impl EntriesQuery {
    /// The filter asked for, its dates read on the tenant's `calendar`.
    pub fn into_filter(self, calendar: &Calendar) -> EntryFilter {
        let (from, to) = calendar.span(self.from, self.to);
        EntryFilter {
            user_id: self.user_id,
            household_id: self.household_id,
            kind: self.kind,
            from,
            to,
        }
    }
}

/// A line of `ledger.csv`: an entry, its member's name and its local date.
#[derive(Debug)]
pub struct LedgerRow {
    /// The entry.
    pub entry: crate::points::model::PointEntry,
    /// Its member's display name.
    pub display_name: String,
    /// Its day on the organisation's calendar.
    pub local_date: chrono::NaiveDate,
}

impl crate::export::ExportRow for LedgerRow {
    const HEADER: &'static [&'static str] = &[
        "entry_id",
        "created_at",
        "local_date",
        "user_id",
        "display_name",
        "household_id",
        "kind",
        "amount",
        "balance_after",
        "reason",
        "rule_id",
        "quantity",
        "source_type",
        "source_id",
        "reverses_id",
        "actor_id",
    ];

    fn cells(&self) -> Vec<crate::export::Cell> {
        use crate::export::Cell;
        let e = &self.entry;
        let quantity = e
            .quantity_milli
            .and_then(|q| crate::points::model::Quantity::from_milli(q).ok());
        vec![
            Cell::Text(e.id.to_string()),
            Cell::At(e.created_at),
            Cell::Date(self.local_date),
            Cell::Text(e.user_id.to_string()),
            Cell::Text(self.display_name.clone()),
            Cell::text(e.household_id.as_ref().map(ToString::to_string)),
            Cell::Text(e.kind.as_str().to_string()),
            Cell::Int(e.amount),
            Cell::Int(e.balance_after),
            Cell::text(e.reason.clone()),
            Cell::text(e.rule_id.as_ref().map(ToString::to_string)),
            Cell::text(quantity.map(|q| q.to_string())),
            Cell::text(e.source_type.clone()),
            Cell::text(e.source_id.clone()),
            Cell::text(e.reverses_id.as_ref().map(ToString::to_string)),
            Cell::text(e.actor_id.as_ref().map(ToString::to_string)),
        ]
    }

    fn position(&self) -> crate::export::Position {
        (self.entry.created_at, self.entry.id.to_string())
    }
}
