//! Identity's tenant-scoped queries.

pub mod credentials;
pub mod sessions;
pub mod users;
