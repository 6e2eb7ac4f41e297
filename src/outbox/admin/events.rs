//! `GET /admin/webhook-events`.

use actix_web::{get, web};

use crate::auth::AdminUser;
use crate::db::Db;
use crate::error::ApiError;
use crate::http::extractors::Paged;
use crate::outbox::dto::{WebhookEventQuery, WebhookEventResponse};
use crate::outbox::service::events as service;
use crate::pagination::{Page, PageQuery};

/// List events
///
/// Everything Hearth tells the outside about the organisation, newest
/// first. Each event is written in the transaction of the change it
/// describes: a change that failed has none, and none is lost. An
/// integrator that was down pages back with `from` (its last seen event's
/// time) to catch up, and skips the ids it has already processed. Events
/// are kept for the deployment's `jobs.outbox_retention_days` (30 by
/// default).
///
/// `data` by type: `points.awarded`, `points.adjusted`, `points.reversed`
/// a ledger entry (attendance points are awards too; spending and its
/// refunds are told as redemptions); `redemption.created`, `…fulfilled`,
/// `…cancelled`, `…rejected` the redemption as admins see it (never a claim
/// code); `attendance.recorded` (a member's first mark at an event) and
/// `attendance.corrected` (a changed one) the record; `charge.issued`,
/// `charge.voided` the charge; `payment.recorded`, `payment.voided` the
/// payment as `GET /admin/payments/{id}` answers; `refund.issued`,
/// `refund.voided` the refund; `member.joined` the user as admins read
/// them, and `member.left` the user as they stood in the household they
/// left.
#[utoipa::path(
    tag = "webhooks",
    operation_id = "list_webhook_events",
    params(WebhookEventQuery, PageQuery),
    security(("bearer" = ["admin"])),
    responses(
        (status = 200, description = "One page of events.", body = Page<WebhookEventResponse>),
    )
)]
#[get("/admin/webhook-events")]
pub async fn list(
    AdminUser(ctx): AdminUser,
    Paged { page, filters }: Paged<WebhookEventQuery>,
    db: web::Data<Db>,
) -> Result<web::Json<Page<WebhookEventResponse>>, ApiError> {
    let events = db
        .read(move |conn| service::list(conn, &ctx.tenant_id, filters, &page))
        .await?;
    Ok(web::Json(events))
}
