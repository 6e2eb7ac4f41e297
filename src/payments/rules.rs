//! How a sum of money is spread over charges: in the given order, each charge
//! taking what it still owes until the money runs out; what is left over is
//! the household's credit. A plain function, tested without a database.

use crate::db::ChargeId;

/// The plan for `amount` over `charges` (id and outstanding amount, in the
/// order to pay them): the amount for each charge that gets money, and the
/// remainder.
pub fn spread(amount: i64, charges: &[(ChargeId, i64)]) -> (Vec<(ChargeId, i64)>, i64) {
    let mut left = amount;
    let mut plan = Vec::new();
    for (id, outstanding) in charges {
        if left == 0 {
            break;
        }
        let take = left.min(*outstanding);
        if take > 0 {
            plan.push((id.clone(), take));
            left -= take;
        }
    }
    (plan, left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_fills_charges_in_order_and_the_rest_is_credit() {
        let (a, b, c) = (ChargeId::new(), ChargeId::new(), ChargeId::new());
        let charges = [(a.clone(), 30), (b.clone(), 50), (c.clone(), 20)];
        assert_eq!(
            spread(40, &charges),
            (vec![(a.clone(), 30), (b.clone(), 10)], 0)
        );
        assert_eq!(
            spread(150, &charges),
            (vec![(a.clone(), 30), (b.clone(), 50), (c.clone(), 20)], 50)
        );
        assert_eq!(spread(10, &[]), (vec![], 10));
        assert_eq!(
            spread(5, &[(a.clone(), 0), (b.clone(), 7)]),
            (vec![(b, 5)], 0)
        );
    }
}
