//! Read-your-writes in front of a read replica: names the caller for
//! `Db::read_may_lag` and tells the database handle when that caller wrote
//! (see `db::replica` for the rule).

use std::hash::{DefaultHasher, Hash, Hasher};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::web;

use crate::db::Db;
use crate::request_context;

/// The middleware function (`actix_web::middleware::from_fn`).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The credential stands for the caller: one hash per token, so a member's
    // phone and browser are two callers, each seeing its own writes.
    let caller = req.headers().get(header::AUTHORIZATION).map(|value| {
        let mut hasher = DefaultHasher::new();
        value.as_bytes().hash(&mut hasher);
        hasher.finish()
    });
    let writes = !req.method().is_safe();
    let db = req.app_data::<web::Data<Db>>().cloned();
    let response = request_context::with_caller(caller, next.call(req)).await?;
    // Noted once the write has committed (the handler has returned), so a
    // read that follows it is routed to where it is.
    if let (true, Some(caller), Some(db)) = (writes, caller, db) {
        db.note_write(caller);
    }
    Ok(response)
}
