-- The outbox: every business event (a payment recorded, points awarded, …)
-- is a row written in the transaction of the change it describes, so there
-- is never an event for a change that rolled back, nor a change whose event
-- was lost. `data` is the resource exactly as the API returned it (JSON
-- text, kept byte for byte); deliveries to webhooks and email read from here.
CREATE TABLE webhook_events (
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
        'member.joined', 'member.left'))
);
CREATE INDEX webhook_events_tenant_created ON webhook_events (tenant_id, created_at, id);
CREATE INDEX webhook_events_tenant_type_created ON webhook_events (tenant_id, type, created_at, id);
