DROP INDEX charges_open_due;
ALTER TABLE charges DROP COLUMN due_soon_reminded_at, DROP COLUMN overdue_reminded_at;
ALTER TABLE tenants
    DROP COLUMN remind_days_before_due,
    DROP COLUMN remind_days_after_due;
ALTER TABLE users DROP COLUMN notify_dues, DROP COLUMN notify_rewards;
DROP TABLE password_reset_requests;
DROP TABLE mail_messages;
