//! What the areas know of the request they serve, without knowing HTTP: its
//! id (a task-local, which `error` stamps into problem bodies and log lines)
//! and [`RequestMeta`] (where it came from, for audit events and sessions).
//! Below `error` and `http`; `http` fills both in.

tokio::task_local! {
    static REQUEST_ID: String;
    static CALLER: Option<u64>;
}

/// The id of the request being handled on this task, if any.
pub fn request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs `future` with `id` as its request id.
pub async fn with_request_id<F: std::future::Future>(id: String, future: F) -> F::Output {
    REQUEST_ID.scope(id, future).await
}

/// Who is calling, as an opaque key (a hash of the credential presented), for
/// the replica's read-your-writes rule; `None` outside a request or without one.
pub fn caller() -> Option<u64> {
    CALLER.try_with(|c| *c).ok().flatten()
}

/// Runs `future` on behalf of `caller` (see [`caller`]).
pub async fn with_caller<F: std::future::Future>(caller: Option<u64>, future: F) -> F::Output {
    CALLER.scope(caller, future).await
}

/// The request id and client IP of the current request.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    /// The `X-Request-Id`.
    pub request_id: Option<String>,
    /// The client IP (proxy-aware, see `client_ip`).
    pub ip: Option<String>,
    /// The `User-Agent`, shortened, to describe a session's device.
    pub user_agent: Option<String>,
}
