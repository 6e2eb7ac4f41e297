//! Hearth's integration tests: one crate, every database test on SQLite and on
//! PostgreSQL (see `helpers`).

mod helpers;

mod access_control;
mod accounts;
mod admin_users;
mod attendance;
mod audit;
mod awards;
mod badges;
mod batch_awards;
mod cli;
mod corrections;
mod cors;
mod credit;
mod demo;
mod dependants;
mod errors;
mod events;
mod forged_tokens;
mod groups;
mod headers;
mod health;
mod hostile_input;
mod households;
mod imports;
mod leaderboards;
mod ledger;
mod local_time;
mod migrations;
mod openapi_doc;
mod payments;
mod point_rules;
mod rate_limit;
mod receipts;
mod redemptions;
mod refunds;
mod replica;
mod rewards;
mod scale_out;
mod schedules;
mod seed_bench;
mod sessions;
mod staff_scopes;
mod statement_shapes;
mod tenant_settings;
