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
    F: Fn(&mut DbConnection, Option<&Position>) -> Result<Vec<R>, ApiError>
        + Clone
        + Send
        + 'static,
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
/// first: `fetch(conn, after)` returns at most [`CHUNK_ROWS`] rows after
/// `after` (from the start when `None`).
pub async fn csv_download<R, F>(db: Db, filename: &str, fetch: F) -> Result<HttpResponse, ApiError>
where
    R: ExportRow + Send + 'static,
    F: Fn(&mut DbConnection, Option<&Position>) -> Result<Vec<R>, ApiError>
        + Clone
        + Send
        + 'static,
{
    let first = chunk(&db, &fetch, None).await?;
    let name = filename.to_string();
    let rest = futures_util::stream::try_unfold(Some(first), move |state| {
        let (db, fetch, name) = (db.clone(), fetch.clone(), name.clone());
        async move {
            let Some((bytes, next)) = state else {
                return Ok(None);
            };
            let following = match next {
                Next::Done => None,
                Next::After(position) => match chunk(&db, &fetch, Some(position)).await {
                    Ok(following) => Some(following),
                    Err(e) => {
                        // The status has gone out: the client sees a cut-short file.
                        log::error!("export {name} cut short: {e:?}");
                        return Err(e);
                    }
                },
            };
            Ok::<_, ApiError>(Some((bytes, following)))
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .streaming(rest))
}
