//! Identity's use-cases: creating accounts, signing in and staying signed in.

pub mod accounts;
pub mod badges;
pub mod me;
pub mod recovery;
pub mod signin;
pub mod users;
