//! Quantities for rule-based awards: decimals with at most three places, kept as
//! exact thousandths (no floats), and points = quantity × points per unit rounded
//! half to even ("banker's rounding", so halves do not drift upwards in bulk).

use std::fmt;
use std::str::FromStr;

/// Largest quantity accepted (a million units).
pub const MAX_QUANTITY_MILLI: i64 = 1_000_000 * 1000;

/// A positive quantity in thousandths of a unit (`2.345` kg is 2345).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantity(i64);

/// Why a quantity was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum QuantityError {
    /// Not a plain decimal number.
    NotANumber,
    /// More than three decimal places.
    TooPrecise,
    /// Zero, negative or above the maximum.
    OutOfRange,
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotANumber => "must be a decimal number",
            Self::TooPrecise => "must have at most 3 decimal places",
            Self::OutOfRange => "must be more than 0 and at most 1000000",
        })
    }
}

impl QuantityError {
    /// The field error code for it.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotANumber => "invalid_format",
            Self::TooPrecise => "too_precise",
            Self::OutOfRange => "out_of_range",
        }
    }
}

impl Quantity {
    /// The quantity in thousandths.
    pub fn milli(self) -> i64 {
        self.0
    }

    /// From stored thousandths.
    pub fn from_milli(milli: i64) -> Result<Self, QuantityError> {
        if milli <= 0 || milli > MAX_QUANTITY_MILLI {
            return Err(QuantityError::OutOfRange);
        }
        Ok(Self(milli))
    }

    /// Points for this quantity at `per_unit` points per unit, half to even.
    pub fn points(self, per_unit: i64) -> i64 {
        let product = i128::from(self.0) * i128::from(per_unit);
        let (whole, rest) = (product / 1000, product % 1000);
        let rounded = match rest.cmp(&500) {
            std::cmp::Ordering::Less => whole,
            std::cmp::Ordering::Greater => whole + 1,
            std::cmp::Ordering::Equal => whole + (whole % 2),
        };
        i64::try_from(rounded).unwrap_or(i64::MAX)
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;

    /// Parses `12`, `2.5`, `2.345` (no sign, no exponent, at most 3 decimals).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || (text.contains('.') && fraction.is_empty())
        {
            return Err(QuantityError::NotANumber);
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > 3 {
            return Err(QuantityError::TooPrecise);
        }
        if whole.len() > 7 {
            return Err(QuantityError::OutOfRange);
        }
        let whole: i64 = whole.parse().map_err(|_| QuantityError::NotANumber)?;
        let milli = format!("{fraction:0<3}")
            .parse::<i64>()
            .map_err(|_| QuantityError::NotANumber)?;
        Self::from_milli(whole * 1000 + milli)
    }
}

/// A quantity exactly as the client wrote it, a JSON string (`"2.345"`) or
/// number (`2.345`), kept as text so that no float ever stands between the
/// request and [`Quantity`]'s exact parse. (serde_json's `arbitrary_precision`
/// keeps a number's text through the parsed body.)
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QuantityText(String);

impl From<&str> for QuantityText {
    fn from(text: &str) -> Self {
        Self(text.to_string())
    }
}

impl QuantityText {
    /// The text to parse.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> serde::Deserialize<'de> for QuantityText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(text) => Ok(Self(text)),
            serde_json::Value::Number(number) => Ok(Self(number.to_string())),
            _ => Err(serde::de::Error::custom(
                "must be a decimal number, as a JSON number or string",
            )),
        }
    }
}

impl utoipa::PartialSchema for QuantityText {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        let text = ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^[0-9]{1,7}(\.[0-9]{1,3})?$"))
            .examples(["2.345"]);
        let number = ObjectBuilder::new()
            .schema_type(Type::Number)
            .exclusive_minimum(Some(0))
            .maximum(Some(1_000_000))
            .examples([2.345]);
        OneOfBuilder::new()
            .item(text)
            .item(number)
            .description(Some(
                "A decimal quantity with at most 3 decimal places, more than 0 and at most \
                 1000000, as a JSON number (`2.345`) or string (`\"2.345\"`); read exactly, \
                 never through a float. No sign or exponent.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for QuantityText {}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, milli) = (self.0 / 1000, self.0 % 1000);
        if milli == 0 {
            write!(f, "{whole}")
        } else {
            let fraction = format!("{milli:03}");
            write!(f, "{whole}.{}", fraction.trim_end_matches('0'))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_read_from_numbers_and_strings_as_written() {
        let read = |json: &str| -> Result<Quantity, String> {
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            let text: QuantityText = serde_json::from_value(value).map_err(|e| e.to_string())?;
            text.as_str()
                .parse()
                .map_err(|e: QuantityError| e.to_string())
        };
        assert_eq!(read("2.345").unwrap().milli(), 2345);
        assert_eq!(read("\"2.345\"").unwrap().milli(), 2345);
        assert_eq!(read("0.001").unwrap().milli(), 1);
        assert_eq!(read("999999.999").unwrap().milli(), 999_999_999);
        assert_eq!(read("12").unwrap().milli(), 12_000);
        // 0.1 + 0.2 style float noise never enters: the text is exact.
        assert_eq!(read("1.005").unwrap().milli(), 1005);
        assert_eq!(read("2.3456"), Err(QuantityError::TooPrecise.to_string()));
        assert!(read("2.345e0").is_err(), "no exponent");
        assert!(read("-1").is_err());
        assert!(read("true").is_err());
        assert!(read("[1]").is_err());
    }

    fn q(text: &str) -> Quantity {
        text.parse().unwrap()
    }

    #[test]
    fn points_round_half_to_even() {
        assert_eq!(q("2.345").points(10), 23, "23.45 rounds down");
        assert_eq!(q("2.35").points(10), 24, "23.5 rounds to the even 24");
        assert_eq!(q("2.25").points(10), 22, "22.5 rounds to the even 22");
        assert_eq!(q("2.251").points(10), 23);
        assert_eq!(q("0.001").points(1), 0);
        assert_eq!(q("12").points(5), 60);
        assert_eq!(q("1000000").points(1_000_000), 1_000_000_000_000);
    }

    #[test]
    fn only_plain_decimals_with_three_places_parse() {
        assert_eq!(q("2.345").milli(), 2345);
        assert_eq!(
            q("2.5000").milli(),
            2500,
            "trailing zeros are not precision"
        );
        for (text, err) in [
            ("0.0005", QuantityError::TooPrecise),
            ("1.2345", QuantityError::TooPrecise),
            ("0", QuantityError::OutOfRange),
            ("0.000", QuantityError::OutOfRange),
            ("1000000.001", QuantityError::OutOfRange),
            ("99999999", QuantityError::OutOfRange),
            ("-1", QuantityError::NotANumber),
            ("1e3", QuantityError::NotANumber),
            ("1.", QuantityError::NotANumber),
            (".5", QuantityError::NotANumber),
            ("", QuantityError::NotANumber),
            ("NaN", QuantityError::NotANumber),
        ] {
            assert_eq!(text.parse::<Quantity>(), Err(err), "{text}");
        }
        assert_eq!(q("2.340").to_string(), "2.34");
        assert_eq!(q("7").to_string(), "7");
    }
}
