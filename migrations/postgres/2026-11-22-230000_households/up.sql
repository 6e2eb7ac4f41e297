-- Households: the unit points, reward limits, attendance and dues roll up to.
CREATE TABLE households (
    id          TEXT PRIMARY KEY NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    name        TEXT NOT NULL,
    address     TEXT,
    zone        TEXT,
    join_code   TEXT NOT NULL,
    archived_at TIMESTAMP,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, join_code)
);
CREATE INDEX households_tenant_created ON households (tenant_id, created_at, id);

-- A member belongs to at most one household of their own tenant: the composite
-- key makes the database refuse a household of another tenant.
ALTER TABLE users ADD COLUMN household_id TEXT;
ALTER TABLE users ADD CONSTRAINT users_household_fk
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id);
CREATE INDEX users_household ON users (tenant_id, household_id);
