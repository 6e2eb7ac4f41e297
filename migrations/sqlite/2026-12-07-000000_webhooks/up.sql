-- Webhooks (Standard Webhooks): endpoints an admin registers, and the
-- deliveries of outbox events to them.
--
-- `webhook.test` is the event `POST /admin/webhooks/{id}/test` sends; it is
-- planned for that one endpoint only. SQLite cannot change a CHECK, so the
-- events table is rebuilt (nothing references it yet).
CREATE TABLE webhook_events_new (
    id         TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    type       TEXT NOT NULL,
    data       TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    CONSTRAINT webhook_events_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT webhook_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id),
    CONSTRAINT webhook_events_type_check CHECK (type IN (
        'points.awarded', 'points.adjusted', 'points.reversed',
        'redemption.created', 'redemption.fulfilled', 'redemption.cancelled', 'redemption.rejected',
        'attendance.recorded', 'attendance.corrected',
        'charge.issued', 'charge.voided',
        'payment.recorded', 'payment.voided',
        'refund.issued', 'refund.voided',
        'member.joined', 'member.left',
        'webhook.test'))
);
INSERT INTO webhook_events_new (id, tenant_id, type, data, created_at)
    SELECT id, tenant_id, type, data, created_at FROM webhook_events;
DROP TABLE webhook_events;
ALTER TABLE webhook_events_new RENAME TO webhook_events;
CREATE INDEX webhook_events_tenant_created ON webhook_events (tenant_id, created_at, id);
CREATE INDEX webhook_events_tenant_type_created ON webhook_events (tenant_id, type, created_at, id);

-- An endpoint signs with `secret` (`whsec_…`, kept here because signing
-- needs it); for a day after a rotation it signs with `previous_secret` as
-- well, so receivers can switch without missing a delivery. `event_types`
-- is space-separated in canonical order. A disabled endpoint (its
-- deliveries kept failing for days) receives nothing until an admin
-- enables it again; `disabled_reason` says why.
CREATE TABLE webhook_endpoints (
    id                    TEXT NOT NULL,
    tenant_id             TEXT NOT NULL,
    url                   TEXT NOT NULL,
    description           TEXT,
    event_types           TEXT NOT NULL,
    secret                TEXT NOT NULL,
    previous_secret       TEXT,
    previous_secret_until DATETIME,
    disabled_at           DATETIME,
    disabled_reason       TEXT,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL,
    CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT webhook_endpoints_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);
CREATE INDEX webhook_endpoints_tenant_created ON webhook_endpoints (tenant_id, created_at, id);

-- One event to one endpoint. Planned in the transaction that writes the
-- event (so none is lost), then claimed by one instance at a time: a claim
-- sets `claim` and a lease (`claimed_until`); the attempt's outcome is
-- written only by the claim that made it. `attempts` counts the attempts of
-- the current schedule (a manual retry starts a new one); every attempt
-- ever made is a row of `webhook_attempts`.
CREATE TABLE webhook_deliveries (
    id              TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    endpoint_id     TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    claim           TEXT,
    claimed_until   DATETIME,
    delivered_at    DATETIME,
    created_at      DATETIME NOT NULL,
    CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT webhook_deliveries_status_check CHECK (status IN ('pending', 'delivered', 'failed')),
    CONSTRAINT webhook_deliveries_endpoint_fkey FOREIGN KEY (tenant_id, endpoint_id)
        REFERENCES webhook_endpoints (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT webhook_deliveries_event_fkey FOREIGN KEY (tenant_id, event_id)
        REFERENCES webhook_events (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (tenant_id, next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (tenant_id, endpoint_id, created_at, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (tenant_id, event_id);

CREATE TABLE webhook_attempts (
    id           TEXT NOT NULL,
    tenant_id    TEXT NOT NULL,
    delivery_id  TEXT NOT NULL,
    attempted_at DATETIME NOT NULL,
    status_code  INTEGER,
    latency_ms   INTEGER NOT NULL,
    error        TEXT,
    CONSTRAINT webhook_attempts_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT webhook_attempts_delivery_fkey FOREIGN KEY (tenant_id, delivery_id)
        REFERENCES webhook_deliveries (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (tenant_id, delivery_id, attempted_at);
