//! Case-insensitive substring search that behaves the same on both backends.

diesel::define_sql_function! {
    /// SQL `lower()` (ASCII-only on SQLite, full Unicode on PostgreSQL).
    fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// Escapes LIKE wildcards (with `\\` as the escape character, to be used with
/// `.escape('\\')`) so a search for `50%` means the text `50%`.
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// The LIKE pattern for "contains `text`, case-insensitively".
pub fn contains_pattern(text: &str) -> String {
    format!("%{}%", escape_like(&text.to_lowercase()))
}
