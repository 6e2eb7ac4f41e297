//! Joins between tenant-owned tables, in the one shape a database distributed
//! by tenant (Citus) can run on one shard: the tenant matches as well as the id.
//!
//! `schema.rs` declares no `joinable!` between tenant-owned tables, so an
//! implicit `.inner_join(table)` (which would join on the id alone) does not
//! compile; a join is written with [`same_tenant!`](crate::same_tenant).

/// The `ON` target for joining `$right` to `$left` through `$left.$fk`:
/// `$right.tenant_id = $left.tenant_id AND $right.id = $left.$fk`.
///
/// ```ignore
/// redemptions::table.inner_join(same_tenant!(rewards on redemptions.reward_id))
/// ```
#[macro_export]
macro_rules! same_tenant {
    ($right:ident on $left:ident . $fk:ident) => {
        diesel::JoinOnDsl::on(
            $right::table,
            diesel::BoolExpressionMethods::and(
                diesel::ExpressionMethods::eq($right::tenant_id, $left::tenant_id),
                diesel::ExpressionMethods::eq($right::id, $left::$fk),
            ),
        )
    };
}
