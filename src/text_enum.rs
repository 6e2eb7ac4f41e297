//! String-backed enums stored as TEXT with a CHECK constraint
//! (diesel-derive-enum does not support MultiBackend, so the mapping is by hand,
//! the way the typed ids in `db/ids.rs` do it).
//!
//! A row's column is the enum itself, never a `String` decoded later: a value
//! the enum does not know (a migration ahead of the code, a hand-edited row)
//! fails the query with a deserialisation error, which reaches the client as
//! a logged 500, instead of being guessed into some default.

/// Declares a string-backed enum: serde (snake_case), `ToSchema`, `as_str`,
/// `FromStr`, `Display`, and diesel's `ToSql`/`FromSql` for TEXT on both
/// backends.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash,
            serde::Serialize, serde::Deserialize, utoipa::ToSchema,
            diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[diesel(sql_type = diesel::sql_types::Text)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// The stored and serialised form.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok(Self::$variant),)+
                    other => Err(format!("unknown {} {other:?}", stringify!($name))),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        $crate::db::text_column::text_column!($name, |value| value.as_str(), |text| Ok(text.parse()?));
    };
}

pub(crate) use text_enum;
