//! Amounts as people read them.

/// `amount` minor units of `currency` as people read it: `1250` EUR is
/// `12.50 EUR`, `500` JPY is `500 JPY`, `-75` EUR is `-0.75 EUR`.
pub fn format_amount(amount: i64, currency: &str) -> String {
    let digits = iso_currency::Currency::from_code(currency)
        .and_then(|c| c.exponent())
        .unwrap_or(2);
    if digits == 0 {
        return format!("{amount} {currency}");
    }
    let scale = 10u64.pow(u32::from(digits));
    let sign = if amount < 0 { "-" } else { "" };
    let magnitude = amount.unsigned_abs();
    let (whole, fraction) = (magnitude / scale, magnitude % scale);
    let width = usize::from(digits);
    format!("{sign}{whole}.{fraction:0width$} {currency}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_read_in_the_currency_s_own_digits() {
        assert_eq!(format_amount(1250, "EUR"), "12.50 EUR");
        assert_eq!(format_amount(5, "EUR"), "0.05 EUR");
        assert_eq!(format_amount(-75, "EUR"), "-0.75 EUR");
        assert_eq!(format_amount(500, "JPY"), "500 JPY");
        assert_eq!(format_amount(1234, "BHD"), "1.234 BHD");
        assert_eq!(format_amount(i64::MIN, "EUR"), "-92233720368547758.08 EUR");
    }
}
