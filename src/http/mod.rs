//! HTTP plumbing shared by every area: middleware, extractor error handling, the
//! fallback that answers 404/405, and client-IP resolution.

pub mod access_log;
pub mod client_ip;
pub mod csv_download;
pub mod extractors;
pub mod fallback;
pub mod head;
pub mod rate_limit;
pub mod read_your_writes;
pub mod request_id;
pub mod request_meta;
pub mod security_headers;
