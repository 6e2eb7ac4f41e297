//! Authentication: passwords, tokens, member codes, the session cache and the
//! extractors that turn a bearer token into a [`TenantCtx`].

pub mod account;
pub mod badge_code;
pub mod extract;
pub mod invite_code;
pub mod member_code;
pub mod password;
pub mod session_cache;
pub mod session_state;
pub mod signing;
pub mod state;
pub mod tokens;

pub use account::{Role, Scope, Scopes, UserKind, UserStatus};
pub use extract::{AdminUser, AuthUser, Desk, StaffUser, TenantCtx, desk};
pub use state::Auth;
