//! Webhook decisions without I/O: how a delivery is signed (`signature`,
//! per Standard Webhooks) and which targets may receive one (`targets`, the
//! SSRF guard). When a failed one is tried again is `crate::backoff`.

mod signature;
mod targets;

pub use signature::*;
pub use targets::*;
