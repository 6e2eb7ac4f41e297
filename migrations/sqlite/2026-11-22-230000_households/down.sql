PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_old AS SELECT id, tenant_id, email, display_name, phone, password_hash,
    role, status, created_at, updated_at FROM users;
DROP TABLE users;
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
INSERT INTO users SELECT * FROM users_old;
DROP TABLE users_old;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
DROP TABLE households;
COMMIT;
PRAGMA foreign_keys = ON;
