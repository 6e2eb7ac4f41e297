//! The filter of the admin lists of money movements (payments, refunds) and
//! of the settlement summary, and the query it makes on either table.

use chrono::NaiveDateTime;

use crate::db::HouseholdId;
use crate::payments::model::{PaymentMethod, PaymentStatus};

/// Filters of the admin lists of money movements (payments, refunds) and of
/// the settlement summary.
#[derive(Debug, Clone, Default)]
pub struct MoneyFilter {
    /// Only this household's.
    pub household_id: Option<HouseholdId>,
    /// Only this method.
    pub method: Option<PaymentMethod>,
    /// At or after (payments: received; refunds: issued).
    pub from: Option<NaiveDateTime>,
    /// Before.
    pub to: Option<NaiveDateTime>,
    /// Only in this status.
    pub status: Option<PaymentStatus>,
}

/// The tenant's rows of `$table` (payments or refunds) matching a
/// [`MoneyFilter`], boxed for paging or summing; `$at` is the time `from`
/// and `to` bound. (`repo/mod.rs` declares this module first, with `#[macro_use]`:
/// a `macro_rules!` is visible only to code after it.)
macro_rules! money_filtered {
    ($table:ident, $at:ident, $tenant:expr, $filter:expr) => {{
        let filter: &$crate::payments::repo::filter::MoneyFilter = $filter;
        let mut query = $table::table
            .filter($table::tenant_id.eq($tenant))
            .into_boxed();
        if let Some(household) = &filter.household_id {
            query = query.filter($table::household_id.eq(household));
        }
        if let Some(method) = filter.method {
            query = query.filter($table::method.eq(method.as_str()));
        }
        if let Some(from) = filter.from {
            query = query.filter($table::$at.ge(from));
        }
        if let Some(to) = filter.to {
            query = query.filter($table::$at.lt(to));
        }
        if let Some(status) = filter.status {
            query = query.filter($table::status.eq(status.as_str()));
        }
        query
    }};
}
