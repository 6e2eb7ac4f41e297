//! Identity's use-cases: creating accounts, signing in and staying signed in.

pub mod accounts;
pub mod signin;
