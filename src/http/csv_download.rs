//! A CSV export as a streamed download: the first chunk is read before the
//! response starts (so a failing query is still a problem+json answer), the
//! rest one chunk per read while the client takes them, so a year of a large
//! tenant never sits in memory. Each chunk is read from the replica when one
//! is configured and current (an export may lag a moment behind).

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;

use crate::db::{Db, DbConnection};
use crate::error::ApiError;
use crate::export::{self, CHUNK_ROWS, ExportRow, Position};

/// How an export reads its rows: `fetch(conn, after)` returns at most
/// [`CHUNK_ROWS`] rows after `after` (from the start when `None`).
pub trait Fetch<R>:
    Fn(&mut DbConnection, Option<&Position>) -> Result<Vec<R>, ApiError> + Clone + Send + 'static
{
}

impl<R, F> Fetch<R> for F where
    F: Fn(&mut DbConnection, Option<&Position>) -> Result<Vec<R>, ApiError>
        + Clone
        + Send
        + 'static
{
}

/// What comes after a chunk.
enum Next {
    /// The chunk that starts after this position.
    After(Position),
    /// Nothing: the last chunk was short.
    Done,
}

/// Reads the chunk after `after` and writes it as CSV (with the header when
/// it is the first).
async fn chunk<R, F>(db: &Db, fetch: &F, after: Option<Position>) -> Result<(Bytes, Next), ApiError>
where
    R: ExportRow + Send + 'static,
    F: Fetch<R>,
{
    let fetch = fetch.clone();
    db.read_may_lag(move |conn| {
        let rows = fetch(conn, after.as_ref())?;
        let next = match rows.last() {
            Some(last) if i64::try_from(rows.len()) == Ok(CHUNK_ROWS) => {
                Next::After(last.position())
            }
            _ => Next::Done,
        };
        Ok((Bytes::from(export::write(&rows, after.is_none())?), next))
    })
    .await
}

/// `200 text/csv` named `filename`, with every row `fetch` reads, oldest
/// first.
pub async fn csv_download<R, F>(db: Db, filename: &str, fetch: F) -> Result<HttpResponse, ApiError>
where
    R: ExportRow + Send + 'static,
    F: Fetch<R>,
{
    let (first, next) = chunk(&db, &fetch, None).await?;
    let name = filename.to_string();
    // Each step sends the chunk read, then reads the one after it.
    let rows = futures_util::stream::try_unfold((Some(first), next), move |(read, next)| {
        let (db, fetch, name) = (db.clone(), fetch.clone(), name.clone());
        async move {
            if let Some(bytes) = read {
                return Ok(Some((bytes, (None, next))));
            }
            let Next::After(position) = next else {
                return Ok(None);
            };
            let (bytes, next) = chunk(&db, &fetch, Some(position))
                .await
                // The status has gone out: the client sees a cut-short file.
                .inspect_err(|e| log::error!("export {name} cut short: {e:?}"))?;
            Ok::<_, ApiError>(Some((bytes, (None, next))))
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(rows))
}
