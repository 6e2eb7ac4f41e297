//! The document's `webhooks` (OpenAPI 3.1): what Hearth POSTs to an
//! integrator's endpoint, one entry per event type, so that a generated
//! client or a reader knows each delivery's body and headers. The body is a
//! `WebhookEventResponse` whose `data` is the resource named here.

use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, PathItem, Paths, PathsBuilder, Ref, Required, Response};

use crate::outbox::WebhookEventType;

const HEADERS: [(&str, &str); 3] = [
    (
        "webhook-id",
        "The event's id: the same on every attempt. Deliveries are at least once, so \
         dedupe on it.",
    ),
    (
        "webhook-timestamp",
        "When this attempt was signed, in seconds since 1970 (UTC). Refuse one far from \
         your clock (the libraries allow five minutes) to stop replays.",
    ),
    (
        "webhook-signature",
        "`v1,<base64 HMAC-SHA256 of \"{webhook-id}.{webhook-timestamp}.{body}\">` keyed by \
         the endpoint's secret (the base64 after `whsec_`); during a rotation a second, \
         space-separated signature by the previous secret. Verify it with a Standard \
         Webhooks library (standardwebhooks.com) over the raw body.",
    ),
];

/// The name of the security scheme that says how deliveries are signed.
pub const SIGNATURE_SCHEME: &str = "webhook_signature";

/// How a receiver knows a delivery is Hearth's: the signature header.
pub fn signature_scheme() -> SecurityScheme {
    SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
        "webhook-signature",
        "Deliveries only (the `webhooks` section): Hearth signs each with the \
         endpoint's secret per Standard Webhooks; verify the signature, `webhook-id` \
         and `webhook-timestamp` with a Standard Webhooks library.",
    )))
}

/// The schema of `data` for each type, and what happened.
fn described(event_type: WebhookEventType) -> (&'static str, &'static str) {
    use WebhookEventType as T;
    match event_type {
        T::PointsAwarded => ("EntryResponse", "Points were awarded: the ledger entry."),
        T::PointsAdjusted => ("EntryResponse", "A balance was adjusted: the ledger entry."),
        T::PointsReversed => (
            "EntryResponse",
            "An entry was reversed: the reversing entry.",
        ),
        T::RedemptionCreated => (
            "RedemptionResponse",
            "A member redeemed a reward: the redemption (never its claim code).",
        ),
        T::RedemptionFulfilled => (
            "RedemptionResponse",
            "A redemption was handed over: the redemption.",
        ),
        T::RedemptionCancelled => (
            "RedemptionResponse",
            "A redemption was cancelled and its points given back: the redemption.",
        ),
        T::RedemptionRejected => (
            "RedemptionResponse",
            "A redemption was rejected and its points given back: the redemption.",
        ),
        T::AttendanceRecorded => (
            "AttendanceResponse",
            "A member was marked or scanned at an event: the attendance record.",
        ),
        T::AttendanceCorrected => (
            "AttendanceResponse",
            "A mark was changed: the attendance record as it now stands.",
        ),
        T::ChargeIssued => (
            "ChargeResponse",
            "A charge was issued (by an admin or a schedule): the charge.",
        ),
        T::ChargeVoided => ("ChargeResponse", "A charge was voided: the charge."),
        T::PaymentRecorded => ("PaymentResponse", "A payment was recorded: the payment."),
        T::PaymentVoided => ("PaymentResponse", "A payment was voided: the payment."),
        T::RefundIssued => ("RefundResponse", "Credit was paid back: the refund."),
        T::RefundVoided => ("RefundResponse", "A refund was voided: the refund."),
        T::MemberJoined => ("UserResponse", "A member joined a household: the user."),
        T::MemberLeft => (
            "UserResponse",
            "A member left a household: the user as they stood in it.",
        ),
        T::WebhookTest => (
            "WebhookResponse",
            "Sent on request (`POST /admin/webhooks/{id}/test`) to that endpoint only: \
             the endpoint.",
        ),
    }
}

/// One entry per event type, subscribable ones first.
pub fn webhooks() -> Paths {
    WebhookEventType::SUBSCRIBABLE
        .into_iter()
        .chain([WebhookEventType::WebhookTest])
        .fold(PathsBuilder::new(), |paths, event_type| {
            paths.path(event_type.as_str(), delivery(event_type))
        })
        .build()
}

fn delivery(event_type: WebhookEventType) -> PathItem {
    let (data, summary) = described(event_type);
    let body = AllOfBuilder::new()
        .item(Ref::from_schema_name("WebhookEventResponse"))
        .item(
            ObjectBuilder::new()
                .property(
                    "type",
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some([event_type.as_str()])),
                )
                .property("data", Ref::from_schema_name(data)),
        );
    let mut operation = OperationBuilder::new()
        .operation_id(Some(format!(
            "webhook_{}",
            event_type.as_str().replace('.', "_")
        )))
        .tag("webhooks")
        .security(SecurityRequirement::new(
            SIGNATURE_SCHEME,
            Vec::<String>::new(),
        ))
        .summary(Some(summary))
        .description(Some(
            "POSTed to each enabled endpoint that subscribes to this type, after the \
             change commits. Any 2xx within the timeout (10 s by default) ends the \
             delivery; anything else is retried with growing waits for about three days, \
             after which the endpoint is disabled.",
        ))
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(body)).build(),
                )
                .build(),
        ))
        .response("200", Response::new("Accepted (any 2xx)."))
        .response(
            "default",
            Response::new("Not accepted: the delivery is attempted again later."),
        );
    for (name, description) in HEADERS {
        operation = operation.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
        );
    }
    PathItem::new(HttpMethod::Post, operation)
}
