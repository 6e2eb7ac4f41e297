//! Typed ids: UUIDv7 stored as TEXT on both backends.
//!
//! Each id type is its own newtype so a `UserId` can never be passed where a
//! `HouseholdId` is expected. They hold the canonical hyphenated string, so binding
//! one in a query borrows it without allocating. Construct them with `new()` (a
//! fresh, time-ordered v7) or by parsing a client-supplied string, which rejects
//! anything that is not a UUID before it reaches a query.

/// Declares a typed id.
macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// A fresh time-ordered UUIDv7.
            #[expect(clippy::new_without_default, reason = "a new id is not a default value")]
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7().hyphenated().to_string())
            }

            /// A UUIDv7 carrying `time` instead of now: for rows written with a
            /// past creation time (the benchmark seeder), so ids still sort by time.
            pub fn at(time: chrono::NaiveDateTime) -> Self {
                let time = time.and_utc();
                let stamp = uuid::Timestamp::from_unix(
                    uuid::NoContext,
                    u64::try_from(time.timestamp()).unwrap_or(0),
                    time.timestamp_subsec_nanos(),
                );
                Self(uuid::Uuid::new_v7(stamp).hyphenated().to_string())
            }

            /// The canonical string form.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(Self(uuid::Uuid::parse_str(s)?.hyphenated().to_string()))
            }
        }

        impl TryFrom<String> for $name {
            type Error = uuid::Error;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        $crate::db::text_column::text_column!($name, |id| id.0.as_str(), |text| Ok(Self(text)));
    };
}

typed_id!(
    /// Id of a tenant (an organisation).
    TenantId
);
typed_id!(
    /// Id of a user (member or admin) of a tenant.
    UserId
);
typed_id!(
    /// Id of a household.
    HouseholdId
);
typed_id!(
    /// Id of a point rule ("PET bottles, per kg").
    PointRuleId
);
typed_id!(
    /// Id of a ledger entry.
    PointEntryId
);
typed_id!(
    /// Id of a reward in the catalogue.
    RewardId
);
typed_id!(
    /// Id of a redemption (a reward bought with points).
    RedemptionId
);
typed_id!(
    /// Id of an event members check in to.
    EventId
);
typed_id!(
    /// Id of an attendance record (one per event and member).
    AttendanceId
);
typed_id!(
    /// Id of a charge a household owes.
    ChargeId
);
typed_id!(
    /// Id of a payment a household made.
    PaymentId
);
typed_id!(
    /// Id of a refund (household credit paid back).
    RefundId
);
typed_id!(
    /// Id of a charge schedule (recurring dues).
    ChargeScheduleId
);
typed_id!(
    /// Id of a payment allocation row.
    AllocationId
);
typed_id!(
    /// Id of a stored idempotency key.
    IdempotencyKeyId
);
typed_id!(
    /// Id of a login session (one device).
    SessionId
);
typed_id!(
    /// Id of a refresh token.
    RefreshTokenId
);
typed_id!(
    /// Id of a one-time password reset code.
    ResetCodeId
);
typed_id!(
    /// Id of a login attempt record.
    LoginAttemptId
);
typed_id!(
    /// Id of an audit event.
    AuditEventId
);
typed_id!(
    /// Id of a badge card.
    BadgeId
);
typed_id!(
    /// Id of a group (a class, a collection team).
    GroupId
);
typed_id!(
    /// Id of an outbox event (the `webhook-id` its deliveries carry).
    WebhookEventId
);
typed_id!(
    /// Id of a webhook endpoint.
    WebhookEndpointId
);
typed_id!(
    /// Id of a delivery of one event to one webhook endpoint.
    WebhookDeliveryId
);
typed_id!(
    /// Id of one attempt at a webhook delivery.
    WebhookAttemptId
);
typed_id!(
    /// Id of a mail message to one person.
    MailMessageId
);
typed_id!(
    /// Id of a self-service password reset request.
    ResetRequestId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_v7_and_parse_canonically() {
        let id = TenantId::new();
        let parsed: uuid::Uuid = id.as_str().parse().unwrap();
        assert_eq!(parsed.get_version_num(), 7);
        let upper: TenantId = id.as_str().to_uppercase().parse().unwrap();
        assert_eq!(upper, id);
        assert!("not-a-uuid".parse::<TenantId>().is_err());
    }
}
