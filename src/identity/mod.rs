//! Identity: users, sessions, sign-in and account administration.

pub mod admin;
pub mod dto;
pub mod member;
pub mod model;
pub mod public;
pub mod repo;
pub mod rules;
pub mod service;

// What other areas may use of identity: who a member is, adding a person
// (households add dependants, imports add whole rolls) and how one is shown.
pub use dto::UserResponse;
pub use repo::badges::live_holder as badge_holder;
pub use repo::credentials::{NewResetCode, insert_first_codes};
pub use repo::users::{
    emails_taken, existing_ids as existing_user_ids, get as user, get_many as users_by_ids,
    insert as insert_user, insert_many as insert_users,
};
pub use service::recovery::purge_requests as purge_reset_requests;
