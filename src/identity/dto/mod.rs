//! Identity request and response bodies, by audience. Requests refuse unknown fields.

mod auth;
mod me;
mod users;

pub use auth::*;
pub use me::*;
pub use users::*;
