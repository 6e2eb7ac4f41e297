//! A roll as uploaded: CSV with a header row, one person a row. Parsed into
//! [`RollRow`]s or refused with every bad row and column named; nothing here
//! reads the database.
//!
//! Columns, named in the header in any order (case and spaces ignored):
//! `household_name` and `display_name` (required), `address`, `zone`,
//! `email` (required for members, empty for dependants), `kind` (`member`,
//! the default, or `dependant`) and `groups` (group names separated by `;`).

use std::collections::{HashMap, HashSet};

use validator::ValidateEmail;

use crate::auth::UserKind;
use crate::error::FieldError;
use crate::validation::has_control_character;

/// The most data rows one import takes.
pub const MAX_ROWS: usize = 5_000;

/// The columns a roll may have.
const COLUMNS: [&str; 7] = [
    "household_name",
    "address",
    "zone",
    "display_name",
    "email",
    "kind",
    "groups",
];

/// One person of the roll, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollRow {
    /// Data row number (1 is the first row after the header).
    pub row: usize,
    /// Their household's name.
    pub household: String,
    /// The household's address.
    pub address: Option<String>,
    /// The household's zone.
    pub zone: Option<String>,
    /// Their name.
    pub display_name: String,
    /// Normalised email (members only).
    pub email: Option<String>,
    /// Member or dependant.
    pub kind: UserKind,
    /// Names of the groups they are on.
    pub groups: Vec<String>,
}

/// The cells of one row, by column.
struct Cells<'a> {
    row: usize,
    by_column: HashMap<&'static str, &'a str>,
    /// Columns whose cell was not UTF-8 (already reported).
    unreadable: HashSet<&'static str>,
    errors: Vec<FieldError>,
}

impl<'a> Cells<'a> {
    fn text(&mut self, column: &'static str, max: usize, required: bool) -> Option<String> {
        if self.unreadable.contains(column) {
            return None;
        }
        let value = self.by_column.get(column).map(|v| v.trim()).unwrap_or("");
        let fail =
            |code: &str, message: String| FieldError::in_row(self.row, Some(column), code, message);
        let error = if value.is_empty() {
            required.then(|| fail("required", "is required".into()))
        } else if value.chars().count() > max {
            Some(fail(
                "too_long",
                format!("must be at most {max} characters"),
            ))
        } else if has_control_character(value, false) {
            Some(fail(
                "control_character",
                "must not contain control characters".into(),
            ))
        } else {
            None
        };
        match error {
            Some(e) => {
                self.errors.push(e);
                None
            }
            None => Some(value.to_string()).filter(|v| !v.is_empty()),
        }
    }

    fn fail(&mut self, column: &str, code: &str, message: &str) {
        self.errors
            .push(FieldError::in_row(self.row, Some(column), code, message));
    }
}

/// Checks one row's cells.
fn check(cells: &mut Cells<'_>) -> Option<RollRow> {
    let household = cells.text("household_name", 100, true);
    let address = cells.text("address", 200, false);
    let zone = cells.text("zone", 50, false);
    let display_name = cells.text("display_name", 100, true);
    let email = cells.text("email", 254, false);
    let kind = match cells
        .text("kind", 20, false)
        .map(|k| k.to_lowercase())
        .as_deref()
    {
        None | Some("member") => UserKind::Member,
        Some("dependant") => UserKind::Dependant,
        Some(_) => {
            cells.fail("kind", "invalid_value", "must be member or dependant");
            UserKind::Member
        }
    };
    let email = match (kind, email) {
        (UserKind::Member, None) => {
            cells.fail(
                "email",
                "required",
                "is required for a member (who signs in)",
            );
            None
        }
        (UserKind::Member, Some(email)) if !email.validate_email() => {
            cells.fail("email", "invalid_format", "must be an email address");
            None
        }
        (UserKind::Member, Some(email)) => Some(email.to_lowercase()),
        (UserKind::Dependant, Some(_)) => {
            cells.fail("email", "not_allowed", "a dependant has no email");
            None
        }
        (UserKind::Dependant, None) => None,
    };
    let groups_cell = cells.text("groups", 2_000, false).unwrap_or_default();
    let mut groups = Vec::new();
    for name in groups_cell
        .split(';')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if name.chars().count() > 100 {
            cells.fail(
                "groups",
                "too_long",
                "each group name must be at most 100 characters",
            );
        } else if !groups.iter().any(|g| g == name) {
            groups.push(name.to_string());
        }
    }
    Some(RollRow {
        row: cells.row,
        household: household?,
        address,
        zone,
        display_name: display_name?,
        email,
        kind,
        groups,
    })
}

/// A file-level failure at `row` (0 for the header).
fn malformed(
    row: usize,
    column: Option<&str>,
    code: &str,
    message: impl Into<String>,
) -> Vec<FieldError> {
    vec![FieldError::in_row(row, column, code, message)]
}

/// The data row a CSV error is at (records count the header as 0).
fn row_of(error: &csv::Error) -> usize {
    error
        .position()
        .and_then(|p| usize::try_from(p.record()).ok())
        .unwrap_or(0)
}

/// Parses and checks a roll; every failure is named by row and column (a
/// malformed file stops at its first malformed row).
pub fn parse(bytes: &[u8]) -> Result<Vec<RollRow>, Vec<FieldError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(bytes);
    let header = reader.byte_headers().map_err(|e| {
        malformed(
            0,
            None,
            "malformed_csv",
            format!("the header row cannot be read: {e}"),
        )
    })?;
    let mut index: Vec<&'static str> = Vec::new();
    let mut seen = HashSet::new();
    for cell in header {
        let Ok(name) = std::str::from_utf8(cell) else {
            return Err(malformed(
                0,
                None,
                "invalid_encoding",
                "the header is not UTF-8 text",
            ));
        };
        let name = name.trim().to_lowercase().replace(' ', "_");
        let Some(known) = COLUMNS.iter().find(|c| **c == name) else {
            return Err(malformed(
                0,
                Some(&name),
                "unknown_column",
                format!("is no column of a roll (use {})", COLUMNS.join(", ")),
            ));
        };
        if !seen.insert(*known) {
            return Err(malformed(
                0,
                Some(known),
                "duplicate_column",
                "appears twice in the header",
            ));
        }
        index.push(*known);
    }
    for required in ["household_name", "display_name"] {
        if !seen.contains(required) {
            return Err(malformed(
                0,
                Some(required),
                "missing_column",
                "the header must name this column",
            ));
        }
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (i, record) in reader.byte_records().enumerate() {
        let row = i + 1;
        if row > MAX_ROWS {
            return Err(malformed(
                row,
                None,
                "too_many_rows",
                format!("a roll has at most {MAX_ROWS} rows"),
            ));
        }
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let code = match e.kind() {
                    csv::ErrorKind::UnequalLengths { .. } => "wrong_column_count",
                    _ => "malformed_csv",
                };
                errors.extend(malformed(row_of(&e).max(row), None, code, e.to_string()));
                return Err(errors);
            }
        };
        let (mut by_column, mut unreadable) = (HashMap::new(), HashSet::new());
        for (cell, column) in record.iter().zip(&index) {
            if let Ok(text) = std::str::from_utf8(cell) {
                by_column.insert(*column, text);
            } else {
                errors.extend(malformed(
                    row,
                    Some(column),
                    "invalid_encoding",
                    "is not UTF-8 text",
                ));
                unreadable.insert(*column);
            }
        }
        let mut cells = Cells {
            row,
            by_column,
            unreadable,
            errors: Vec::new(),
        };
        let checked = check(&mut cells);
        errors.append(&mut cells.errors);
        rows.extend(checked);
    }
    errors.extend(across_rows(&rows));
    if errors.is_empty() {
        Ok(rows)
    } else {
        errors.sort_by_key(|e| e.row);
        Err(errors)
    }
}

/// What rows must agree on: an email appears once, and a household's rows
/// give it one address and one zone.
fn across_rows(rows: &[RollRow]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let mut emails = HashMap::new();
    let mut homes: HashMap<&str, (&Option<String>, &Option<String>)> = HashMap::new();
    for row in rows {
        if let Some(email) = &row.email
            && let Some(first) = emails.insert(email.as_str(), row.row)
        {
            errors.push(FieldError::in_row(
                row.row,
                Some("email"),
                "duplicate",
                format!("is also on row {first}"),
            ));
            emails.insert(email.as_str(), first);
        }
        let (address, zone) = homes
            .entry(&row.household)
            .or_insert((&row.address, &row.zone));
        for (column, first, this) in [
            ("address", *address, &row.address),
            ("zone", *zone, &row.zone),
        ] {
            if this.is_some() && first.is_some() && first != this {
                errors.push(FieldError::in_row(
                    row.row,
                    Some(column),
                    "inconsistent",
                    format!(
                        "differs from an earlier row of household {:?}",
                        row.household
                    ),
                ));
            }
        }
        if address.is_none() {
            *address = &row.address;
        }
        if zone.is_none() {
            *zone = &row.zone;
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(
        result: Result<Vec<RollRow>, Vec<FieldError>>,
    ) -> Vec<(usize, Option<String>, String)> {
        result
            .unwrap_err()
            .into_iter()
            .map(|e| (e.row.unwrap(), e.column, e.code))
            .collect()
    }

    #[test]
    fn a_roll_is_read_with_its_households_kinds_and_groups() {
        let csv = "\u{feff}Household Name,Display Name,email,kind,groups\n\
                   The Smiths,Ann,ANN@example.org,,Class 2B; Choir\n\
                   The Smiths,Mia,,dependant,Class 2B\n\
                   \"Reyes, family\",\"Luz \"\"Lucy\"\"\",luz@example.org,member,\n";
        let rows = parse(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].email.as_deref(), Some("ann@example.org"));
        assert_eq!(rows[0].groups, vec!["Class 2B", "Choir"]);
        assert_eq!(
            (rows[1].kind, rows[1].email.clone()),
            (UserKind::Dependant, None)
        );
        assert_eq!(rows[2].household, "Reyes, family");
        assert_eq!(rows[2].display_name, "Luz \"Lucy\"");
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let csv = "household_name,display_name,email,kind\n\
                   ,Ann,ann@example.org,\n\
                   Smiths,Bob,not-an-email,\n\
                   Smiths,Mia,mia@example.org,dependant\n\
                   Smiths,Cy,ann@example.org,robot\n\
                   Smiths,Di,di@example.org,\n\
                   Smiths,Ed,DI@example.org,\n";
        assert_eq!(
            codes(parse(csv.as_bytes())),
            vec![
                (1, Some("household_name".into()), "required".into()),
                (2, Some("email".into()), "invalid_format".into()),
                (3, Some("email".into()), "not_allowed".into()),
                (4, Some("kind".into()), "invalid_value".into()),
                (6, Some("email".into()), "duplicate".into()),
            ]
        );
    }

    #[test]
    fn a_malformed_file_names_the_row_it_breaks_at() {
        let short_row = "household_name,display_name,email\nA,Ann,a@x.org\nB,Bob\n";
        assert_eq!(
            codes(parse(short_row.as_bytes())),
            vec![(2, None, "wrong_column_count".into())]
        );
        let latin1 = b"household_name,display_name,email\nA,Ren\xe9,r@x.org\n";
        assert_eq!(
            codes(parse(latin1)),
            vec![(1, Some("display_name".into()), "invalid_encoding".into())]
        );
        let unknown = "household,display_name\nA,Ann\n";
        assert_eq!(
            codes(parse(unknown.as_bytes())),
            vec![(0, Some("household".into()), "unknown_column".into())]
        );
        let missing = "household_name,email\nA,a@x.org\n";
        assert_eq!(
            codes(parse(missing.as_bytes())),
            vec![(0, Some("display_name".into()), "missing_column".into())]
        );
        let mut big = String::from("household_name,display_name,kind\n");
        for n in 0..=MAX_ROWS {
            big.push_str(&format!("H{n},P{n},dependant\n"));
        }
        assert_eq!(
            codes(parse(big.as_bytes())),
            vec![(MAX_ROWS + 1, None, "too_many_rows".into())]
        );
    }

    #[test]
    fn a_households_rows_agree_on_its_address() {
        let csv = "household_name,display_name,address,kind\n\
                   Smiths,Ann,1 Elm St,dependant\n\
                   Smiths,Bob,,dependant\n\
                   Smiths,Cy,2 Oak St,dependant\n";
        assert_eq!(
            codes(parse(csv.as_bytes())),
            vec![(3, Some("address".into()), "inconsistent".into())]
        );
    }
}
