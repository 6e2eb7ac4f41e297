//! Tenant settings and their validation (parse, don't validate: a `NewTenant`
//! that exists is valid).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::TenantId;
use crate::db::schema::tenants;
use crate::error::FieldError;

/// Who may register in a tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationPolicy {
    /// New accounts are active at once.
    Open,
    /// New accounts wait for an admin (the default).
    Approval,
    /// Registration is refused.
    Closed,
}

impl RegistrationPolicy {
    /// The stored (and serialised) form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Approval => "approval",
            Self::Closed => "closed",
        }
    }
}

impl FromStr for RegistrationPolicy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(Self::Open),
            "approval" => Ok(Self::Approval),
            "closed" => Ok(Self::Closed),
            other => Err(format!(
                "registration must be open, approval or closed, not {other:?}"
            )),
        }
    }
}

impl fmt::Display for RegistrationPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    /// Registration policy, stored as text.
    pub registration: String,
    /// Creation time (UTC).
    pub created_at: NaiveDateTime,
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
    registration: String,
    created_at: NaiveDateTime,
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
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            errors.push(FieldError::new(
                "name",
                "invalid_length",
                "must be 1-200 characters",
            ));
        }
        let currency = currency.trim().to_ascii_uppercase();
        if iso_currency::Currency::from_code(&currency).is_none() {
            errors.push(FieldError::new(
                "currency",
                "invalid_currency",
                "must be an ISO 4217 code such as EUR or USD",
            ));
        }
        if timezone.parse::<chrono_tz::Tz>().is_err() {
            errors.push(FieldError::new(
                "timezone",
                "invalid_timezone",
                "must be an IANA time zone such as Europe/Berlin",
            ));
        }
        let registration = match registration.parse::<RegistrationPolicy>() {
            Ok(policy) => policy,
            Err(message) => {
                errors.push(FieldError::new("registration", "invalid_choice", message));
                RegistrationPolicy::Approval
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            id: TenantId::new(),
            slug: slug.to_string(),
            name: name.to_string(),
            currency,
            timezone: timezone.to_string(),
            registration: registration.as_str().to_string(),
            created_at: chrono::Utc::now().naive_utc(),
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
        assert_eq!(t.registration, "open");
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
