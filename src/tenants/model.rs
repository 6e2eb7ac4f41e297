//! Tenant settings and their validation (parse, don't validate: a `NewTenant`
//! that exists is valid).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::calendar::Calendar;
use crate::db::TenantId;
use crate::db::schema::tenants;
use crate::error::FieldError;
use crate::text_enum::text_enum;

text_enum!(
    /// Who may register in a tenant.
    RegistrationPolicy {
        /// New accounts are active at once.
        Open = "open",
        /// New accounts wait for an admin (the default).
        Approval = "approval",
        /// Registration is refused.
        Closed = "closed",
    }
);

text_enum!(
    /// The day a tenant's weeks start on (weekly leaderboards and reward limits).
    WeekStart {
        /// Monday (ISO weeks; the default).
        Monday = "monday",
        /// Tuesday.
        Tuesday = "tuesday",
        /// Wednesday.
        Wednesday = "wednesday",
        /// Thursday.
        Thursday = "thursday",
        /// Friday.
        Friday = "friday",
        /// Saturday.
        Saturday = "saturday",
        /// Sunday.
        Sunday = "sunday",
    }
);

impl From<WeekStart> for chrono::Weekday {
    fn from(day: WeekStart) -> Self {
        match day {
            WeekStart::Monday => Self::Mon,
            WeekStart::Tuesday => Self::Tue,
            WeekStart::Wednesday => Self::Wed,
            WeekStart::Thursday => Self::Thu,
            WeekStart::Friday => Self::Fri,
            WeekStart::Saturday => Self::Sat,
            WeekStart::Sunday => Self::Sun,
        }
    }
}

/// A stored tenant.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenants)]
pub struct Tenant {
    /// Id.
    pub id: TenantId,
    /// URL-safe unique name used at login (`green-valley`).
    pub slug: String,
    /// Display name.
    pub name: String,
    /// ISO 4217 code of the currency dues are charged in.
    pub currency: String,
    /// IANA time zone.
    pub timezone: String,
    /// Registration policy.
    pub registration: RegistrationPolicy,
    /// Creation time (UTC).
    pub created_at: NaiveDateTime,
    /// The first day of the tenant's weeks.
    pub week_starts_on: WeekStart,
    /// The dates its terms start on (termly dues), `YYYY-MM-DD` joined by
    /// commas in order; see [`Tenant::terms`].
    pub term_starts: String,
    /// Whether dependants (minors, mostly) are named on the members
    /// leaderboard; off unless an admin turns it on.
    pub leaderboards_show_dependants: bool,
    /// Days before a charge is due that its household is reminded (0 = on
    /// the day); `None` = no reminder before.
    pub remind_days_before_due: Option<i32>,
    /// Days after its due date that an unpaid charge is reminded of once;
    /// `None` = no overdue reminder.
    pub remind_days_after_due: Option<i32>,
}

impl Tenant {
    /// The dates the tenant's terms start on, in order.
    pub fn terms(&self) -> Vec<chrono::NaiveDate> {
        parse_terms(&self.term_starts)
    }

    /// The tenant's calendar: its zone (UTC if the stored name is unknown to
    /// this build's zone database, which validation on write prevents) and
    /// its first weekday.
    pub fn calendar(&self) -> Calendar {
        let zone = self.timezone.parse().unwrap_or_else(|_| {
            log::warn!(
                "tenant {} has an unknown time zone {:?}; using UTC",
                self.id,
                self.timezone
            );
            chrono_tz::Tz::UTC
        });
        Calendar::new(zone, self.week_starts_on.into())
    }
}

/// A validated tenant ready to insert.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenant {
    id: TenantId,
    slug: String,
    name: String,
    currency: String,
    timezone: String,
    registration: RegistrationPolicy,
    created_at: NaiveDateTime,
    week_starts_on: WeekStart,
}

impl NewTenant {
    /// Validates every field, reporting all failures at once.
    pub fn parse(
        slug: &str,
        name: &str,
        currency: &str,
        timezone: &str,
        registration: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        if !is_valid_slug(slug) {
            errors.push(FieldError::new(
                "slug",
                "invalid_format",
                "must be 3-40 characters of a-z, 0-9 and '-'",
            ));
        }
        let name = parse_name(name).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        let currency = parse_currency(currency).unwrap_or_else(|e| {
            errors.push(e);
            String::new()
        });
        if let Err(e) = parse_timezone(timezone) {
            errors.push(e);
        }
        let registration = match registration.parse::<RegistrationPolicy>() {
            Ok(policy) => policy,
            Err(_) => {
                errors.push(FieldError::new(
                    "registration",
                    "invalid_choice",
                    format!("registration must be open, approval or closed, not {registration:?}"),
                ));
                RegistrationPolicy::Approval
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            id: TenantId::new(),
            slug: slug.to_string(),
            name,
            currency,
            timezone: timezone.to_string(),
            registration,
            created_at: chrono::Utc::now().naive_utc(),
            week_starts_on: WeekStart::Monday,
        })
    }

    /// The id the tenant will have.
    pub fn id(&self) -> &TenantId {
        &self.id
    }

    /// The slug.
    pub fn slug(&self) -> &str {
        &self.slug
    }
}

/// Term start dates as stored (see [`Tenant::term_starts`]); what does not
/// read as a date is left out, which writing through [`store_terms`] prevents.
pub fn parse_terms(stored: &str) -> Vec<chrono::NaiveDate> {
    stored
        .split(',')
        .filter_map(|day| day.trim().parse().ok())
        .collect()
}

/// Term start dates in their stored form: sorted, each once.
pub fn store_terms(days: &[chrono::NaiveDate]) -> String {
    let mut days = days.to_vec();
    days.sort();
    days.dedup();
    days.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A tenant's display name, trimmed: 1-200 characters.
pub fn parse_name(name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(FieldError::new(
            "name",
            "invalid_length",
            "must be 1-200 characters",
        ));
    }
    Ok(name.to_string())
}

/// An ISO 4217 currency code, upper-cased.
pub fn parse_currency(code: &str) -> Result<String, FieldError> {
    let code = code.trim().to_ascii_uppercase();
    if iso_currency::Currency::from_code(&code).is_none() {
        return Err(FieldError::new(
            "currency",
            "invalid_currency",
            "must be an ISO 4217 code such as EUR or USD",
        ));
    }
    Ok(code)
}

/// An IANA time zone name known to this build's zone database.
pub fn parse_timezone(name: &str) -> Result<chrono_tz::Tz, FieldError> {
    name.parse::<chrono_tz::Tz>().map_err(|_| {
        FieldError::new(
            "timezone",
            "invalid_timezone",
            "must be an IANA time zone such as Europe/Berlin",
        )
    })
}

/// `[a-z0-9-]{3,40}`.
fn is_valid_slug(slug: &str) -> bool {
    (3..=40).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(result: Result<NewTenant, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_valid_tenant_parses_and_normalises_the_currency() {
        let t = NewTenant::parse(
            "green-valley",
            " Green Valley ",
            "eur",
            "Europe/Berlin",
            "open",
        )
        .unwrap();
        assert_eq!(t.currency, "EUR");
        assert_eq!(t.name, "Green Valley");
        assert_eq!(t.registration.as_str(), "open");
    }

    #[test]
    fn terms_are_stored_sorted_once_and_read_back() {
        let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let stored = store_terms(&[day("2027-04-19"), day("2026-09-01"), day("2027-04-19")]);
        assert_eq!(stored, "2026-09-01,2027-04-19");
        assert_eq!(parse_terms(&stored), [day("2026-09-01"), day("2027-04-19")]);
        assert_eq!(parse_terms(""), []);
    }

    #[test]
    fn every_invalid_field_is_reported() {
        assert_eq!(
            fields(NewTenant::parse("Ab", "", "EURO", "Mars/Olympus", "maybe")),
            ["slug", "name", "currency", "timezone", "registration"]
        );
        assert_eq!(
            fields(NewTenant::parse(&"a".repeat(41), "x", "EUR", "UTC", "open")),
            ["slug"]
        );
        assert_eq!(
            fields(NewTenant::parse("ok_slug", "x", "ABC", "UTC", "open")),
            ["slug", "currency"]
        );
    }
}
