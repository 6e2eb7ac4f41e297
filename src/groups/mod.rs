//! Groups: a class, a collection team, a choir. A group has a roster (up to
//! 2,000 members and dependants), and an event may name groups: its roster is
//! then theirs, so "who has not been marked yet" is the class, not the
//! tenant. Admins manage them at `/admin/groups`.

pub mod admin;
pub mod dto;
pub mod model;
pub mod repo;
pub mod service;

// What other areas may use of groups: checking, setting and reading the
// groups an event names; finding and adding groups and members (imports).
pub use repo::{
    Membership, add_members, by_names as groups_by_names, event_group_ids, event_groups_of,
    insert_many as insert_groups, set_event_groups,
};
pub use service::{check_group_ids, new_group};
