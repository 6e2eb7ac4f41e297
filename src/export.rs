//! CSV exports: the cells of a row, and the text a spreadsheet reads.
//!
//! Files are RFC 4180 (the `csv` crate quotes what needs quoting), UTF-8,
//! one header row. A text cell that a spreadsheet would run as a formula
//! (one starting with `=`, `+`, `-`, `@`, a tab or a carriage return: a
//! member named `=HYPERLINK(…)`) is neutralised with a leading `'`, as
//! OWASP advises; numbers Hearth writes itself (a negative amount) are not
//! text and stay as they are. Rows are written a chunk at a time, so an
//! export never holds more than one chunk (see `http::csv_download`).

use chrono::{NaiveDate, NaiveDateTime};

use crate::clock;
use crate::error::ApiError;

/// Rows per chunk: one query, one piece of the response.
pub const CHUNK_ROWS: i64 = 1000;

/// `chunk_after!(query, time_column, id_column, after)`: the next chunk of
/// an export, oldest first: the rows after the [`Position`] `after` (all
/// from the start when `None`), at most [`CHUNK_ROWS`] of them: a keyset
/// range, never an OFFSET, so a chunk deep in a year costs what the first
/// one does.
#[macro_export]
macro_rules! chunk_after {
    ($query:expr, $time:expr, $id:expr, $after:expr) => {{
        let mut query = $query;
        if let Some((at, id)) = $after {
            query = query.filter($time.gt(*at).or($time.eq(*at).and($id.gt(id.clone()))));
        }
        query
            .order(($time.asc(), $id.asc()))
            .limit($crate::export::CHUNK_ROWS)
    }};
}

/// `from` and `to` of an export.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportRange {
    /// From this time, inclusive (a date: from that local day's first moment).
    #[param(value_type = Option<crate::datetime::Bound>)]
    pub from: Option<crate::datetime::Bound>,
    /// Until this time, exclusive (a date: through the end of that local day).
    #[param(value_type = Option<crate::datetime::Bound>)]
    pub to: Option<crate::datetime::Bound>,
}

/// One cell of an exported row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text that came from people (names, reasons, references): neutralised.
    Text(String),
    /// A number Hearth computed (amounts in minor units, points).
    Int(i64),
    /// An instant, written in UTC as RFC 3339.
    At(NaiveDateTime),
    /// A calendar date, `YYYY-MM-DD`.
    Date(NaiveDate),
    /// Nothing.
    Empty,
}

impl Cell {
    /// Text, or an empty cell for `None`.
    pub fn text(value: Option<impl Into<String>>) -> Self {
        value.map_or(Self::Empty, |v| Self::Text(v.into()))
    }

    /// An instant, or an empty cell for `None`.
    pub fn at(value: Option<NaiveDateTime>) -> Self {
        value.map_or(Self::Empty, Self::At)
    }

    /// The cell as written.
    fn render(&self) -> String {
        match self {
            Self::Text(text) => neutralise(text),
            Self::Int(n) => n.to_string(),
            Self::At(at) => clock::rfc3339_string(*at),
            Self::Date(date) => date.to_string(),
            Self::Empty => String::new(),
        }
    }
}

/// `text` as a spreadsheet shows it, never as a formula it runs.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Where a chunk ends: the (time, id) of its last row, after which the next
/// chunk starts (rows are exported oldest first).
pub type Position = (NaiveDateTime, String);

/// A row of an export: its columns, and its place in the export's order.
pub trait ExportRow {
    /// The header row.
    const HEADER: &'static [&'static str];
    /// The cells, in header order.
    fn cells(&self) -> Vec<Cell>;
    /// Its (time, id) in the export's order.
    fn position(&self) -> Position;
}

/// `rows` as CSV text, after the header when `with_header`.
pub fn write<R: ExportRow>(rows: &[R], with_header: bool) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let failed = |e: csv::Error| ApiError::internal(format!("cannot write CSV: {e}"));
    if with_header {
        out.write_record(R::HEADER).map_err(failed)?;
    }
    for row in rows {
        let cells: Vec<String> = row.cells().iter().map(Cell::render).collect();
        debug_assert_eq!(cells.len(), R::HEADER.len(), "a row fits its header");
        out.write_record(&cells).map_err(failed)?;
    }
    out.into_inner()
        .map_err(|e| ApiError::internal(format!("cannot write CSV: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Person(&'static str, i64);

    impl ExportRow for Person {
        const HEADER: &'static [&'static str] = &["name", "amount"];
        fn cells(&self) -> Vec<Cell> {
            vec![Cell::Text(self.0.to_string()), Cell::Int(self.1)]
        }
        fn position(&self) -> Position {
            (NaiveDateTime::default(), self.0.to_string())
        }
    }

    #[test]
    fn formulas_in_text_are_neutralised_and_numbers_are_not() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(neutralise(formula), format!("'{formula}"));
        }
        assert_eq!(neutralise("Ann = Bob"), "Ann = Bob");
        let csv = write(&[Person("=1+1", -5)], true).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "name,amount\r\n'=1+1,-5\r\n"
        );
    }

    #[test]
    fn quotes_commas_and_newlines_are_quoted_as_rfc_4180_says() {
        let csv = write(&[Person("Okafor, \"Ada\"\nline two", 1)], false).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "\"Okafor, \"\"Ada\"\"\nline two\",1\r\n"
        );
    }
}
