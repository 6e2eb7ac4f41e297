//! When a failed send is tried again (a webhook delivery, a mail message):
//! exponential backoff with jitter. With the webhook defaults (a 30 s base,
//! 14 attempts) the last attempt comes about 2.8 days after the first.

use std::time::Duration;

/// The wait after attempt number `attempt` (1 for the first) failed:
/// `base × 2^(attempt-1)`, scaled by `0.8 + 0.4 × jitter` for `jitter` in
/// `[0, 1)`. The spread keeps instances that failed together from retrying
/// together, and stays narrow enough that each wait is longer than the last.
pub fn retry_delay(attempt: u32, base: Duration, jitter: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(30);
    let nominal = base.saturating_mul(1u32 << doublings);
    nominal.mul_f64(0.8 + 0.4 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_wait_is_longer_than_the_last_whatever_the_jitter() {
        let base = Duration::from_millis(200);
        for attempt in 1..20 {
            let longest = retry_delay(attempt, base, 0.999);
            let next_shortest = retry_delay(attempt + 1, base, 0.0);
            assert!(next_shortest > longest, "attempt {attempt}");
        }
    }

    #[test]
    fn the_default_schedule_spans_about_three_days() {
        let base = Duration::from_secs(30);
        let total: Duration = (1..14).map(|a| retry_delay(a, base, 0.5)).sum();
        let days = total.as_secs_f64() / 86_400.0;
        assert!((2.5..3.2).contains(&days), "{days} days");
    }

    #[test]
    fn huge_attempt_numbers_do_not_overflow() {
        assert!(retry_delay(u32::MAX, Duration::from_secs(30), 1.0) > Duration::from_secs(1));
    }
}
