//! What the whole of one request can see without threading it through every
//! call: its id. Below `error` (which stamps the id into problem bodies and
//! log lines) and below `http` (whose outermost middleware sets it).

tokio::task_local! {
    static REQUEST_ID: String;
}

/// The id of the request being handled on this task, if any.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `future` with `id` as its request id.
pub async fn with_request_id<F: std::future::Future>(id: String, future: F) -> F::Output {
    REQUEST_ID.scope(id, future).await
}
