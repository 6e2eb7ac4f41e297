-- Households: the unit points, reward limits, attendance and dues roll up to.
PRAGMA foreign_keys = OFF;
BEGIN;

CREATE TABLE households (
    id          TEXT PRIMARY KEY NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    address     TEXT,
    zone        TEXT,
    join_code   TEXT NOT NULL,
    archived_at DATETIME,
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, join_code)
);
CREATE INDEX households_tenant_created ON households (tenant_id, created_at, id);

-- A member belongs to at most one household of their own tenant: the composite
-- key makes the database refuse a household of another tenant.
CREATE TABLE users_new (
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
    household_id  TEXT,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, email),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id)
);
INSERT INTO users_new (id, tenant_id, email, display_name, phone, password_hash, role,
                       status, created_at, updated_at)
    SELECT id, tenant_id, email, display_name, phone, password_hash, role, status,
           created_at, updated_at
    FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
CREATE INDEX users_household ON users (tenant_id, household_id);

COMMIT;
PRAGMA foreign_keys = ON;
