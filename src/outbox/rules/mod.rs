//! Webhook decisions without I/O: how a delivery is signed (`signature`,
//! per Standard Webhooks), which targets may receive one (`targets`, the
//! SSRF guard), and when a failed one is tried again (`backoff`).

mod backoff;
mod signature;
mod targets;

pub use backoff::*;
pub use signature::*;
pub use targets::*;
