-- Mail for people: messages written in the transaction of what caused them
-- and sent by every instance's postman, like webhook deliveries (a claim
-- and a lease; the outcome written only under the claim that made it).
--
-- The bodies are rendered when the message is written, so a message says
-- what was true then. A message whose use is time-bound (a reset code) has
-- a short `expires_at`: it is not sent after that, and once it is sent or
-- expired its bodies are erased, so the database keeps no live code.
CREATE TABLE mail_messages (
    id              TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    claim           TEXT,
    claimed_until   DATETIME,
    last_error      TEXT,
    sent_at         DATETIME,
    expires_at      DATETIME NOT NULL,
    created_at      DATETIME NOT NULL,
    CONSTRAINT mail_messages_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT mail_messages_status_check CHECK (status IN ('pending', 'sent', 'expired', 'failed')),
    CONSTRAINT mail_messages_kind_check CHECK (kind IN (
        'password_reset', 'charge_issued', 'charge_due_soon', 'charge_overdue',
        'redemption_fulfilled', 'redemption_rejected')),
    CONSTRAINT mail_messages_user_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX mail_messages_due ON mail_messages (tenant_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_messages_user ON mail_messages (tenant_id, user_id, kind, created_at);
CREATE INDEX mail_messages_created ON mail_messages (tenant_id, created_at);

-- Every self-service password reset request, known account or not: the
-- limits per account and per client address hold across instances.
CREATE TABLE password_reset_requests (
    id         TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    user_id    TEXT,
    ip         TEXT,
    created_at DATETIME NOT NULL,
    CONSTRAINT password_reset_requests_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT password_reset_requests_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);
CREATE INDEX password_reset_requests_user ON password_reset_requests (tenant_id, user_id, created_at);
CREATE INDEX password_reset_requests_ip ON password_reset_requests (tenant_id, ip, created_at);

-- What a member hears about besides their account (opt-outs).
ALTER TABLE users ADD COLUMN notify_dues BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN notify_rewards BOOLEAN NOT NULL DEFAULT TRUE;

-- Dues reminders: days before a charge is due and days after (NULL = none).
ALTER TABLE tenants ADD COLUMN remind_days_before_due INTEGER DEFAULT 3
    CHECK (remind_days_before_due BETWEEN 0 AND 60);
ALTER TABLE tenants ADD COLUMN remind_days_after_due INTEGER DEFAULT 7
    CHECK (remind_days_after_due BETWEEN 1 AND 60);

-- A charge is reminded of at most once of each kind, by whichever instance
-- sets the mark first (in the transaction that writes the mail).
ALTER TABLE charges ADD COLUMN due_soon_reminded_at DATETIME;
ALTER TABLE charges ADD COLUMN overdue_reminded_at DATETIME;
CREATE INDEX charges_open_due ON charges (tenant_id, due_date) WHERE status IN ('open', 'partially_paid');
