//! Monthly dues of a benchmark tenant's households and the payments against
//! them: most pay what they owe, some pay part, some pay more and carry credit
//! that the next charge uses up, exactly as the API allocates money.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::people::People;
use super::plan::{Share, Tenant};
use crate::db::schema::{charges, payment_allocations, payments};
use crate::db::{AllocationId, ChargeId, DbConnection, HouseholdId, PaymentId, TenantId};
use crate::error::ApiError;
use crate::insert_rows;
use crate::payments::model::{
    Allocation, AllocationKind, Charge, ChargeStatus, Payment, PaymentMethod, PaymentStatus,
};
use crate::payments::rules;

/// Days between two charges of a household.
const PERIOD_DAYS: i64 = 30;

/// Writes `share.charges` charges and as many payments with their
/// allocations; returns the last receipt number.
pub fn seed(
    conn: &mut DbConnection,
    tenant: &Tenant<'_>,
    share: Share,
    people: &People,
    rng: &mut StdRng,
) -> Result<i64, ApiError> {
    let mut books = Books {
        tenant: tenant.id.clone(),
        charges: Vec::new(),
        payments: Vec::new(),
        allocations: Vec::new(),
    };
    let households = people.households.len();
    for (n, household) in people.households.iter().enumerate() {
        let periods = share.charges / households + usize::from(n < share.charges % households);
        let dues = 2000 + i64::try_from(n % 3).unwrap_or(0) * 500;
        books.household(tenant, people, household, (periods, dues), rng);
    }
    // Receipt numbers follow the order the money came in, from 1, without gaps.
    books
        .payments
        .sort_by(|a, b| (a.received_at, &a.id).cmp(&(b.received_at, &b.id)));
    for (number, payment) in (1..).zip(&mut books.payments) {
        payment.receipt_number = number;
    }
    insert_rows!(conn, charges::table, &books.charges)?;
    insert_rows!(conn, payments::table, &books.payments)?;
    insert_rows!(conn, payment_allocations::table, &books.allocations)?;
    Ok(i64::try_from(books.payments.len()).unwrap_or(i64::MAX))
}

/// Everything written so far.
struct Books {
    tenant: TenantId,
    charges: Vec<Charge>,
    payments: Vec<Payment>,
    allocations: Vec<Allocation>,
}

impl Books {
    /// One household's `periods` monthly charges of `dues`, newest 20 days
    /// ago, each followed by a payment within 18 days.
    fn household(
        &mut self,
        tenant: &Tenant<'_>,
        people: &People,
        household: &HouseholdId,
        (periods, dues): (usize, i64),
        rng: &mut StdRng,
    ) {
        // Open charges (oldest first) and credit per payment (oldest first).
        let mut open: Vec<(ChargeId, i64)> = Vec::new();
        let mut credit: Vec<(PaymentId, i64)> = Vec::new();
        let mut index: HashMap<ChargeId, usize> = HashMap::new();
        for period in (0..i64::try_from(periods).unwrap_or(0)).rev() {
            let issued = tenant.now - Duration::days(period * PERIOD_DAYS + 20);
            let charge = Charge {
                id: ChargeId::at(issued),
                tenant_id: tenant.id.clone(),
                household_id: household.clone(),
                description: format!("Dues {}", issued.format("%Y-%m")),
                amount: dues,
                amount_paid: 0,
                currency: tenant.currency.to_string(),
                due_date: (issued + Duration::days(14)).date(),
                status: ChargeStatus::Open,
                void_reason: None,
                voided_by: None,
                voided_at: None,
                created_by: Some(people.admin.clone()),
                created_at: issued,
                updated_at: issued,
            };
            index.insert(charge.id.clone(), self.charges.len());
            open.push((charge.id.clone(), dues));
            self.charges.push(charge);
            self.apply_credit(household, &mut open, &mut credit, &index, issued);

            let owed: i64 = open.iter().map(|(_, outstanding)| outstanding).sum();
            let roll = rng.random_range(0..100);
            let amount = match roll {
                0..80 if owed > 0 => owed,
                80..90 => dues / 2,
                _ => owed + 1000,
            };
            let received = issued
                + Duration::days(rng.random_range(1..=18))
                + Duration::seconds(rng.random_range(0..86_400));
            let received = received.min(tenant.now - Duration::hours(1));
            let payment = self.pay(tenant, people, household, amount, received, rng);
            let (plan, left) = rules::spread(amount, &open);
            for (charge, paid) in plan {
                self.allocate(
                    household,
                    (&payment, Some(&charge)),
                    paid,
                    AllocationKind::Payment,
                    received,
                );
                self.add_paid(&index, &charge, paid);
            }
            open.retain(|(charge, _)| self.charges[index[charge]].outstanding() > 0);
            for (charge, outstanding) in &mut open {
                *outstanding = self.charges[index[charge]].outstanding();
            }
            if left > 0 {
                self.allocate(
                    household,
                    (&payment, None),
                    left,
                    AllocationKind::Payment,
                    received,
                );
                credit.push((payment, left));
            }
        }
    }

    /// Pays the newest open charge from the household's credit, oldest credit
    /// first, as issuing a charge does.
    fn apply_credit(
        &mut self,
        household: &HouseholdId,
        open: &mut [(ChargeId, i64)],
        credit: &mut Vec<(PaymentId, i64)>,
        index: &HashMap<ChargeId, usize>,
        at: NaiveDateTime,
    ) {
        let Some((charge, owed)) = open.last_mut() else {
            return;
        };
        for (payment, left) in credit.iter_mut() {
            let take = (*left).min(*owed);
            if take == 0 {
                continue;
            }
            let kind = AllocationKind::CreditApplied;
            self.allocate(household, (payment, None), -take, kind, at);
            self.allocate(household, (payment, Some(charge)), take, kind, at);
            self.add_paid(index, charge, take);
            *left -= take;
            *owed -= take;
        }
        credit.retain(|(_, left)| *left > 0);
    }

    fn pay(
        &mut self,
        tenant: &Tenant<'_>,
        people: &People,
        household: &HouseholdId,
        amount: i64,
        received: NaiveDateTime,
        rng: &mut StdRng,
    ) -> PaymentId {
        let method = match rng.random_range(0..10) {
            0..3 => PaymentMethod::Cash,
            3..7 => PaymentMethod::BankTransfer,
            7..9 => PaymentMethod::Card,
            _ => PaymentMethod::EWallet,
        };
        let id = PaymentId::at(received);
        let reference =
            (method == PaymentMethod::BankTransfer).then(|| format!("TRX-{}", &id.as_str()[24..]));
        self.payments.push(Payment {
            id: id.clone(),
            tenant_id: tenant.id.clone(),
            household_id: household.clone(),
            amount,
            currency: tenant.currency.to_string(),
            method,
            reference,
            received_at: received,
            receipt_number: 0,
            status: PaymentStatus::Completed,
            void_reason: None,
            voided_by: None,
            voided_at: None,
            recorded_by: Some(people.admin.clone()),
            created_at: received,
            // As payments recorded before receipts were kept: derived on read.
            receipt: None,
        });
        id
    }

    fn allocate(
        &mut self,
        household: &HouseholdId,
        (payment, charge): (&PaymentId, Option<&ChargeId>),
        amount: i64,
        kind: AllocationKind,
        at: NaiveDateTime,
    ) {
        self.allocations.push(Allocation {
            id: AllocationId::at(at),
            tenant_id: self.tenant.clone(),
            household_id: household.clone(),
            payment_id: payment.clone(),
            charge_id: charge.cloned(),
            amount,
            kind,
            created_at: at,
            refund_id: None,
        });
    }

    fn add_paid(&mut self, index: &HashMap<ChargeId, usize>, charge: &ChargeId, amount: i64) {
        let charge = &mut self.charges[index[charge]];
        charge.amount_paid += amount;
        charge.status = if charge.amount_paid == charge.amount {
            ChargeStatus::Paid
        } else {
            ChargeStatus::PartiallyPaid
        };
    }
}
