//! Authentication: passwords, tokens, member codes, the session cache and the
//! extractors that turn a bearer token into a [`TenantCtx`].

pub mod account;
pub mod extract;
pub mod member_code;
pub mod password;
pub mod session_cache;
pub mod session_state;
pub mod state;
pub mod tokens;

pub use account::{Role, UserStatus};
pub use extract::{AdminUser, AuthUser, TenantCtx};
pub use state::Auth;
