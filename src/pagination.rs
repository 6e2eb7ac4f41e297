//! Cursor pagination for every list: `?limit=` (1-100, default 20) and an opaque
//! `?cursor=`, answering `{"data": [...], "next_cursor": "…" | null}`, newest
//! first. The cursor encodes the (created_at, id) of the last row served, so a
//! page is stable while rows are added, and each page is one indexed range scan.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::datetime::Timestamp;
use crate::error::{ApiError, FieldError};

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 20;
/// Largest page size.
pub const MAX_LIMIT: i64 = 100;

/// `limit` and `cursor` query parameters.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1-100 (default 20).
    #[param(minimum = 1, maximum = 100, example = 20)]
    pub limit: Option<i64>,
    /// Opaque cursor from the previous page's `next_cursor`.
    #[param(max_length = 200)]
    pub cursor: Option<String>,
}

/// A validated page request.
#[derive(Debug, Clone)]
pub struct PageRequest {
    /// Rows to return.
    pub limit: i64,
    /// Position after which to continue (exclusive), newest first.
    pub after: Option<(NaiveDateTime, String)>,
}

impl PageQuery {
    /// The parameter names of a page, which a list's filters never use.
    pub const NAMES: [&str; 2] = ["limit", "cursor"];

    /// Validates the parameters: a bad limit or cursor is a 400.
    pub fn parse(&self) -> Result<PageRequest, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "limit must be between 1 and {MAX_LIMIT}"
            )));
        }
        // An empty cursor is the first page, like an absent one.
        let after = self
            .cursor
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(decode)
            .transpose()?;
        Ok(PageRequest { limit, after })
    }
}

/// Reads a cursor back into the (created_at, id) it was made from. Anything
/// else (bad base64, a timestamp outside the years requests may name, an id
/// that is not a UUID) is a 400 naming `cursor`, never a value in a query.
fn decode(cursor: &str) -> Result<(NaiveDateTime, String), ApiError> {
    let invalid = || {
        let message = "is not a cursor this API issued; use next_cursor as given";
        ApiError::bad_request(format!("cursor {message}")).with_errors(vec![FieldError::new(
            "cursor",
            "invalid_cursor",
            message,
        )])
    };
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (micros, id) = text.split_once('|').ok_or_else(invalid)?;
    let micros: i64 = micros.parse().map_err(|_| invalid())?;
    let at = chrono::DateTime::from_timestamp_micros(micros)
        .and_then(|at| Timestamp::try_from(at).ok())
        .ok_or_else(invalid)?;
    let id = uuid::Uuid::parse_str(id).map_err(|_| invalid())?;
    Ok((at.naive_utc(), id.hyphenated().to_string()))
}

fn encode(at: NaiveDateTime, id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}|{id}", at.and_utc().timestamp_micros()))
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    /// The rows, newest first.
    pub data: Vec<T>,
    /// Cursor for the next page, or null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows fetched newest first: the extra
    /// row only tells that another page exists.
    pub fn from_rows<R>(
        mut rows: Vec<R>,
        request: &PageRequest,
        key: impl Fn(&R) -> (NaiveDateTime, String),
        map: impl FnMut(R) -> T,
    ) -> Self {
        let limit = usize::try_from(request.limit).unwrap_or(usize::MAX);
        let next_cursor = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|last| {
                let (at, id) = key(last);
                encode(at, &id)
            })
        } else {
            None
        };
        Self {
            data: rows.into_iter().map(map).collect(),
            next_cursor,
        }
    }
}

/// `after_cursor!(table, at, id)`: the rows after a cursor position
/// `(at, id)` in newest-first order, on a table with `created_at` and `id`.
#[macro_export]
macro_rules! after_cursor {
    ($table:ident, $at:expr, $id:expr) => {
        $table::created_at
            .lt($at)
            .or($table::created_at.eq($at).and($table::id.lt($id)))
    };
}

/// Adds "after the cursor, newest first, limit + 1" to a boxed diesel query on a
/// table with `created_at` and `id` columns.
#[macro_export]
macro_rules! paginate {
    ($query:expr, $table:ident, $page:expr) => {{
        let mut query = $query;
        if let Some((at, id)) = &$page.after {
            query = query.filter($crate::after_cursor!($table, *at, id.clone()));
        }
        query
            .order(($table::created_at.desc(), $table::id.desc()))
            .limit($page.limit + 1)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_outside_1_to_100_are_refused() {
        for bad in [0, -1, 101] {
            let q = PageQuery {
                limit: Some(bad),
                cursor: None,
            };
            assert!(q.parse().is_err());
        }
        assert_eq!(PageQuery::default().parse().unwrap().limit, 20);
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        let at = chrono::DateTime::from_timestamp_micros(1_790_000_000_123_456)
            .unwrap()
            .naive_utc();
        let id = "0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b";
        let cursor = encode(at, id);
        let q = PageQuery {
            limit: None,
            cursor: Some(cursor),
        };
        assert_eq!(q.parse().unwrap().after, Some((at, id.to_string())));
        let crafted = [
            "!!".to_string(),
            "bm9waXBl".to_string(),
            URL_SAFE_NO_PAD.encode("0|\0"),
            URL_SAFE_NO_PAD.encode("-80000000000000000000|x"),
            URL_SAFE_NO_PAD.encode(format!("-9000000000000000|{id}")),
            URL_SAFE_NO_PAD.encode(format!("{}|{id}", i64::MAX)),
            URL_SAFE_NO_PAD.encode("1790000000123456|not-a-uuid"),
            URL_SAFE_NO_PAD.encode(format!("1790000000123456|{id}'--")),
        ];
        for junk in crafted {
            let q = PageQuery {
                limit: None,
                cursor: Some(junk.clone()),
            };
            assert!(q.parse().is_err(), "{junk}");
        }
    }

    #[test]
    fn a_full_page_links_to_the_next() {
        let at = chrono::DateTime::from_timestamp(0, 0).unwrap().naive_utc();
        let req = PageRequest {
            limit: 2,
            after: None,
        };
        let page = Page::from_rows(vec![1, 2, 3], &req, |_| (at, "x".into()), |r| r);
        assert_eq!(page.data, [1, 2]);
        assert!(page.next_cursor.is_some());
        let last = Page::from_rows(vec![1], &req, |_| (at, "x".into()), |r| r);
        assert_eq!(last.next_cursor, None);
    }
}
