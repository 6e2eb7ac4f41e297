//! The members' catalogue, first pages as sent, kept for a moment.
//!
//! `GET /rewards` is the read every member's app repeats; its first page is
//! the same for everyone in a tenant. This instance keeps that page's JSON for
//! `catalogue.cache_secs` (per tenant and page size) and computes it once when
//! several requests miss together. Any change this instance makes to the
//! tenant's catalogue or stock (a reward created, changed or archived, a
//! redemption made, cancelled or rejected) forgets the tenant's pages at once;
//! another instance's change shows within the TTL, as a replica's lag would.
//! Redeeming never reads this cache: stock and limits are checked on the row.

use std::time::Duration;

use actix_web::web::Bytes;

use crate::db::TenantId;
use crate::ttl_cache::TtlCache;

/// First catalogue pages by (tenant, page size).
pub struct CatalogueCache(TtlCache<(TenantId, i64), Bytes>);

impl CatalogueCache {
    /// Pages are trusted for `ttl`; zero keeps none.
    pub fn new(ttl: Duration) -> Self {
        Self(TtlCache::new(ttl))
    }

    /// The tenant's first page of `limit` rewards: the kept one, or the one
    /// `compute` serialises (then kept).
    pub async fn first_page<E, F>(
        &self,
        tenant: &TenantId,
        limit: i64,
        compute: impl FnOnce() -> F,
    ) -> Result<Bytes, E>
    where
        F: Future<Output = Result<Bytes, E>>,
    {
        self.0
            .get_or_compute((tenant.clone(), limit), compute)
            .await
    }

    /// Forgets the tenant's pages (this instance just changed its catalogue).
    pub fn forget(&self, tenant: &TenantId) {
        self.0.invalidate_where(|(kept, _)| kept == tenant);
    }
}
