PRAGMA foreign_keys = OFF;
BEGIN;
DROP TABLE event_groups;
DROP TABLE group_members;
DROP TABLE groups;
DROP TABLE badges;
ALTER TABLE tenants DROP COLUMN leaderboards_show_dependants;
-- People without a login cannot be kept by the old shape.
DELETE FROM users WHERE kind = 'dependant' OR password_hash IS NULL;
UPDATE users SET role = 'user' WHERE role = 'staff';
CREATE TABLE users_old (
    id            TEXT NOT NULL,
    tenant_id     TEXT NOT NULL REFERENCES tenants (id),
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    phone         TEXT,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('user', 'admin')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'suspended')),
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL,
    household_id  TEXT, points_balance BIGINT NOT NULL DEFAULT 0 CHECK (points_balance >= 0), points_earned BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, email),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id)
);
INSERT INTO users_old SELECT id, tenant_id, email, display_name, phone, password_hash, role, status,
    created_at, updated_at, household_id, points_balance, points_earned FROM users;
DROP TABLE users;
ALTER TABLE users_old RENAME TO users;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
CREATE INDEX users_household ON users (tenant_id, household_id);
CREATE INDEX users_points_earned ON users (tenant_id, points_earned DESC, id);
COMMIT;
PRAGMA foreign_keys = ON;
