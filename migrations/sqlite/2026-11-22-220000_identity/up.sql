-- Identity: users, sessions, refresh tokens, login attempts, reset codes, audit.
-- Tenant isolation is structural: every table carries tenant_id, referenced
-- tables carry UNIQUE (tenant_id, id), and references are composite foreign keys,
-- so the database itself refuses a row that points into another tenant.

CREATE TABLE users (
    id            TEXT PRIMARY KEY NOT NULL,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    phone         TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('user', 'admin')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, email)
);
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);

CREATE TABLE sessions (
    id             TEXT PRIMARY KEY NOT NULL,
    tenant_id      TEXT NOT NULL,
    user_id        TEXT NOT NULL,
    device         TEXT,
    ip             TEXT,
    created_at     DATETIME NOT NULL,
    last_used_at   DATETIME NOT NULL,
    revoked_at     DATETIME,
    revoked_reason TEXT,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX sessions_user ON sessions (tenant_id, user_id, created_at);

CREATE TABLE refresh_tokens (
    id         TEXT PRIMARY KEY NOT NULL,
    tenant_id  TEXT NOT NULL,
    session_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    parent_id  TEXT,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions (tenant_id, id)
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (tenant_id, session_id);

-- Failed and successful logins per (tenant, email), for the account lockout that
-- every instance must see. Unknown emails are recorded too, so a locked-out
-- unknown account behaves exactly like a known one.
CREATE TABLE login_attempts (
    id         TEXT PRIMARY KEY NOT NULL,
    tenant_id  TEXT NOT NULL REFERENCES tenants (id),
    email      TEXT NOT NULL,
    succeeded  BOOLEAN NOT NULL,
    ip         TEXT,
    created_at DATETIME NOT NULL
);
CREATE INDEX login_attempts_lookup ON login_attempts (tenant_id, email, created_at);

CREATE TABLE password_reset_codes (
    id         TEXT PRIMARY KEY NOT NULL,
    tenant_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    code_hash  TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX password_reset_codes_user ON password_reset_codes (tenant_id, user_id);

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    actor_id    TEXT,
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   TEXT,
    reason      TEXT,
    request_id  TEXT,
    ip          TEXT,
    created_at  DATETIME NOT NULL,
    UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, actor_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX audit_events_tenant_created ON audit_events (tenant_id, created_at, id);
CREATE INDEX audit_events_tenant_target ON audit_events (tenant_id, target_id);
