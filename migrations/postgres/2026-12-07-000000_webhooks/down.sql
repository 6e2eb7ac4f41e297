DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_endpoints;
DELETE FROM webhook_events WHERE type = 'webhook.test';
ALTER TABLE webhook_events
    DROP CONSTRAINT webhook_events_type_check,
    ADD CONSTRAINT webhook_events_type_check CHECK (type IN (
        'points.awarded', 'points.adjusted', 'points.reversed',
        'redemption.created', 'redemption.fulfilled', 'redemption.cancelled', 'redemption.rejected',
        'attendance.recorded', 'attendance.corrected',
        'charge.issued', 'charge.voided',
        'payment.recorded', 'payment.voided',
        'refund.issued', 'refund.voided',
        'member.joined', 'member.left'));
