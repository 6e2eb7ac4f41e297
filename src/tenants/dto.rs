//! What clients see of their tenant, and what an admin may change.

use hearth_macros::limits;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::datetime::Date;
use crate::error::FieldError;
use crate::tenants::model::{
    RegistrationPolicy, Tenant, WeekStart, parse_currency, parse_timezone,
};
use crate::validation::not_blank;

/// `GET /tenant`: what every member's app needs to show dates and money.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "Green Valley", "slug": "green-valley", "currency": "PHP",
    "timezone": "Asia/Manila", "week_starts_on": "monday"}))]
pub struct TenantResponse {
    /// Display name.
    pub name: String,
    /// The name used at sign-in.
    pub slug: String,
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// IANA time zone: days, weeks and months (leaderboards, reward limits,
    /// settlement days) are counted in it.
    pub timezone: String,
    /// The first day of the tenant's weeks.
    pub week_starts_on: WeekStart,
}

impl From<&Tenant> for TenantResponse {
    fn from(t: &Tenant) -> Self {
        Self {
            name: t.name.clone(),
            slug: t.slug.clone(),
            currency: t.currency.clone(),
            timezone: t.timezone.clone(),
            week_starts_on: t.week_starts_on,
        }
    }
}

/// `GET`/`PATCH /admin/tenant`: the settings an admin manages.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"name": "Green Valley", "slug": "green-valley", "currency": "PHP",
    "timezone": "Asia/Manila", "week_starts_on": "monday", "registration": "approval",
    "term_starts": ["2027-01-11", "2027-04-19"], "leaderboards": {"show_dependants": false},
    "reminders": {"days_before_due": 3, "days_after_due": 7}}))]
pub struct TenantSettings {
    /// What members see.
    #[serde(flatten)]
    pub public: TenantResponse,
    /// Who may register.
    pub registration: RegistrationPolicy,
    /// The dates the organisation's terms start on, in order: termly charge
    /// schedules issue on each of them.
    #[schema(value_type = Vec<String>, format = Date)]
    pub term_starts: Vec<chrono::NaiveDate>,
    /// What the leaderboards show.
    pub leaderboards: LeaderboardSettings,
    /// When households are mailed about their dues.
    pub reminders: ReminderSettings,
}

/// What the leaderboards show.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardSettings {
    /// Whether dependants (children, mostly) are named on the members board.
    /// Off by default; their points count for their household either way.
    pub show_dependants: bool,
}

/// When households are mailed reminders of a charge (besides the notice
/// when it is issued), on the tenant's calendar. Each reminder goes once per
/// charge, while it is unpaid, to the household's members who have an
/// address and have not turned dues mail off.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Days before the due date (0 = on the day itself, up to 60); `null`
    /// = no reminder before. New tenants: 3.
    #[validate(range(min = 0, max = 60, code = "out_of_range", message = "must be 0-60"))]
    #[schema(minimum = 0, maximum = 60)]
    pub days_before_due: Option<i32>,
    /// Days after the due date (1-60) that a charge still unpaid is reminded
    /// of; `null` = no overdue reminder. New tenants: 7. A charge that was
    /// already a week past this point when reminders began is not reminded.
    #[validate(range(min = 1, max = 60, code = "out_of_range", message = "must be 1-60"))]
    #[schema(minimum = 1, maximum = 60)]
    pub days_after_due: Option<i32>,
}

impl From<&Tenant> for TenantSettings {
    fn from(t: &Tenant) -> Self {
        Self {
            public: t.into(),
            registration: t.registration,
            term_starts: t.terms(),
            leaderboards: LeaderboardSettings {
                show_dependants: t.leaderboards_show_dependants,
            },
            reminders: ReminderSettings {
                days_before_due: t.remind_days_before_due,
                days_after_due: t.remind_days_after_due,
            },
        }
    }
}

/// `PATCH /admin/tenant`: every field optional; the slug is the operator's.
#[limits]
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"timezone": "Asia/Manila", "week_starts_on": "sunday"}))]
pub struct UpdateTenantRequest {
    /// Display name.
    #[limit(chars = 1..=200)]
    #[validate(custom(function = "not_blank"))]
    #[schema(pattern = r"\S")]
    pub name: Option<String>,
    /// ISO 4217 code; only while the tenant has no charge and no payment
    /// (409 `currency_locked` after).
    #[limit(chars = 3..=3)]
    #[validate(custom(function = "known_currency"))]
    pub currency: Option<String>,
    /// IANA time zone name (422 `invalid_timezone` for one this server does not know).
    #[limit(chars = 1..=64)]
    #[validate(custom(function = "known_timezone"))]
    pub timezone: Option<String>,
    /// The first day of the week.
    pub week_starts_on: Option<WeekStart>,
    /// Who may register.
    pub registration: Option<RegistrationPolicy>,
    /// The dates terms start on (0-50, any order; replaces the list).
    #[limit(items = 0..=50, of = "dates")]
    pub term_starts: Option<Vec<Date>>,
    /// What the leaderboards show.
    #[serde(default, deserialize_with = "crate::validation::nested_object")]
    pub leaderboards: Option<LeaderboardSettings>,
    /// Dues reminders; the object replaces both values (a missing or `null`
    /// one turns that reminder off).
    #[validate(nested)]
    #[serde(default, deserialize_with = "crate::validation::nested_object")]
    pub reminders: Option<ReminderSettings>,
}

/// The model's check as a `validator` rule, so that every field's failure is
/// reported in one 422.
fn as_rule<T>(checked: Result<T, FieldError>) -> Result<(), validator::ValidationError> {
    checked.map(drop).map_err(|e| {
        let mut rule = validator::ValidationError::new("invalid");
        rule.code = e.code.into();
        rule.message = Some(e.message.into());
        rule
    })
}

fn known_currency(code: &str) -> Result<(), validator::ValidationError> {
    as_rule(parse_currency(code))
}

fn known_timezone(name: &str) -> Result<(), validator::ValidationError> {
    as_rule(parse_timezone(name))
}
