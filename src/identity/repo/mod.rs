//! Identity's tenant-scoped queries.

pub mod badges;
pub mod credentials;
pub mod sessions;
pub mod users;
