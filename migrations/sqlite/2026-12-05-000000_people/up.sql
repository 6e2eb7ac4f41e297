-- People as programmes have them (see the PostgreSQL twin for the why).
-- users is rebuilt to drop NOT NULL from email and password_hash and change
-- its CHECKs; foreign keys are off meanwhile (metadata.toml).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_new (
    id            TEXT NOT NULL,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    email         TEXT,
    display_name  TEXT NOT NULL,
    phone         TEXT,
    password_hash TEXT,
    role          TEXT NOT NULL CONSTRAINT users_role_check CHECK (role IN ('user', 'admin', 'staff')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    household_id  TEXT,
    points_balance BIGINT NOT NULL DEFAULT 0 CHECK (points_balance >= 0),
    points_earned BIGINT NOT NULL DEFAULT 0,
    kind          TEXT NOT NULL DEFAULT 'member' CONSTRAINT users_kind_check CHECK (kind IN ('member', 'dependant')),
    scopes        TEXT NOT NULL DEFAULT '',
    birth_year    INTEGER CONSTRAINT users_birth_year_check CHECK (birth_year BETWEEN 1900 AND 2200),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    CONSTRAINT users_scopes_check CHECK (role = 'staff' OR scopes = ''),
    CONSTRAINT users_login_check CHECK (
        (kind = 'member' AND email IS NOT NULL)
        OR (kind = 'dependant' AND email IS NULL AND password_hash IS NULL AND role = 'user'))
);
INSERT INTO users_new (id, tenant_id, email, display_name, phone, password_hash, role, status,
                       created_at, updated_at, household_id, points_balance, points_earned)
    SELECT id, tenant_id, email, display_name, phone, password_hash, role, status,
           created_at, updated_at, household_id, points_balance, points_earned
    FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
CREATE INDEX users_household ON users (tenant_id, household_id);
CREATE INDEX users_points_earned ON users (tenant_id, points_earned DESC, id);

ALTER TABLE tenants ADD COLUMN leaderboards_show_dependants BOOLEAN NOT NULL DEFAULT false;

-- Badge cards: permanent codes printed for people without a phone. A code is
-- `badge.<id>.<HMAC of tenant and id>` under a key derived from the server's
-- signing secret, which the database never holds: a copy of it has the ids
-- but no usable card. A row says whether the card is still live; a person
-- has at most one live card.
CREATE TABLE badges (
    id         TEXT NOT NULL,
    tenant_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    issued_by  TEXT NOT NULL,
    issued_at  DATETIME NOT NULL,
    revoked_at DATETIME,
    CONSTRAINT badges_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT badges_tenant_id_user_id_fkey
        FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    CONSTRAINT badges_tenant_id_issued_by_fkey
        FOREIGN KEY (tenant_id, issued_by) REFERENCES users (tenant_id, id)
);
CREATE UNIQUE INDEX badges_live_per_user ON badges (tenant_id, user_id) WHERE revoked_at IS NULL;

-- Groups (a class, a collection team) and their rosters.
CREATE TABLE groups (
    id          TEXT NOT NULL,
    tenant_id   TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    CONSTRAINT groups_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT groups_tenant_id_name_key UNIQUE (tenant_id, name),
    CONSTRAINT groups_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants (id)
);
CREATE INDEX groups_tenant_created ON groups (tenant_id, created_at, id);

CREATE TABLE group_members (
    tenant_id TEXT NOT NULL,
    group_id  TEXT NOT NULL,
    user_id   TEXT NOT NULL,
    CONSTRAINT group_members_pkey PRIMARY KEY (tenant_id, group_id, user_id),
    CONSTRAINT group_members_tenant_id_group_id_fkey
        FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT group_members_tenant_id_user_id_fkey
        FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id)
);
CREATE INDEX group_members_user ON group_members (tenant_id, user_id);

-- The groups an event is for: its roster is their members.
CREATE TABLE event_groups (
    tenant_id TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    group_id  TEXT NOT NULL,
    CONSTRAINT event_groups_pkey PRIMARY KEY (tenant_id, event_id, group_id),
    CONSTRAINT event_groups_tenant_id_event_id_fkey
        FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id),
    CONSTRAINT event_groups_tenant_id_group_id_fkey
        FOREIGN KEY (tenant_id, group_id) REFERENCES groups (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX event_groups_group ON event_groups (tenant_id, group_id);

COMMIT;
PRAGMA foreign_keys = ON;
