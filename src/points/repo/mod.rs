//! Points queries: the ledger (its one write, [`ledger::post`], and its reads) and point rules.

pub mod entries;
pub mod leaderboards;
pub mod ledger;
pub mod point_rules;
