//! TEXT columns of our own types, on both backends: typed ids and the
//! `text_enum!` states are stored as text and read back through their parser.

/// Implements diesel's `ToSql`/`FromSql` for TEXT: `|value| text` borrows the
/// stored text from a value, `|string| result` rebuilds one from it (an error
/// fails the query instead of guessing).
macro_rules! text_column {
    ($name:ty, |$value:ident| $text:expr, |$string:ident| $parse:expr) => {
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(
                &'b self,
                out: &mut diesel::serialize::Output<'b, '_, DB>,
            ) -> diesel::serialize::Result {
                let $value = self;
                <str as diesel::serialize::ToSql<diesel::sql_types::Text, DB>>::to_sql($text, out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let $string = <String as diesel::deserialize::FromSql<
                    diesel::sql_types::Text,
                    DB,
                >>::from_sql(bytes)?;
                $parse
            }
        }
    };
}

pub(crate) use text_column;
