-- Recurring dues. A schedule issues the same charge to its households every
-- period (weekly, monthly, or on the tenant's term start dates), on the
-- period's first local date; a background job that every instance runs does
-- the issuing. `scheduled_charges` is the exactly-once key: one row per
-- schedule, household and period, written in the transaction that issues the
-- charge, so however many instances run the job, and wherever one of them
-- stops, a period is charged to a household once.
ALTER TABLE tenants ADD COLUMN term_starts TEXT NOT NULL DEFAULT '';

CREATE TABLE charge_schedules (
    id             TEXT NOT NULL,
    tenant_id      TEXT NOT NULL,
    description    TEXT NOT NULL,
    amount         BIGINT NOT NULL CONSTRAINT charge_schedules_amount_check CHECK (amount > 0),
    all_active     BOOLEAN NOT NULL,
    frequency      TEXT NOT NULL CONSTRAINT charge_schedules_frequency_check
                   CHECK (frequency IN ('weekly', 'monthly', 'termly')),
    anchor_date    DATE NOT NULL,
    ends_on        DATE,
    due_after_days INTEGER NOT NULL CONSTRAINT charge_schedules_due_after_days_check
                   CHECK (due_after_days BETWEEN 0 AND 366),
    -- The first period not yet issued to every household; NULL once the
    -- schedule has ended or was stopped.
    next_period    DATE,
    stopped_at     DATETIME,
    created_by     TEXT NOT NULL,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    CONSTRAINT charge_schedules_pkey PRIMARY KEY (tenant_id, id),
    CONSTRAINT charge_schedules_tenant_id_created_by_fkey
        FOREIGN KEY (tenant_id, created_by) REFERENCES users (tenant_id, id)
);
CREATE INDEX charge_schedules_tenant ON charge_schedules (tenant_id, created_at, id);
CREATE INDEX charge_schedules_due ON charge_schedules (tenant_id, next_period);

-- The households a schedule names (none when it charges every live one),
-- each from the first period that starts on or after `eligible_from`.
CREATE TABLE charge_schedule_households (
    tenant_id     TEXT NOT NULL,
    schedule_id   TEXT NOT NULL,
    household_id  TEXT NOT NULL,
    eligible_from DATE NOT NULL,
    CONSTRAINT charge_schedule_households_pkey PRIMARY KEY (tenant_id, schedule_id, household_id),
    CONSTRAINT charge_schedule_households_tenant_id_schedule_id_fkey
        FOREIGN KEY (tenant_id, schedule_id) REFERENCES charge_schedules (tenant_id, id),
    CONSTRAINT charge_schedule_households_tenant_id_household_id_fkey
        FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id)
);

CREATE TABLE scheduled_charges (
    tenant_id    TEXT NOT NULL,
    schedule_id  TEXT NOT NULL,
    household_id TEXT NOT NULL,
    period_start DATE NOT NULL,
    charge_id    TEXT NOT NULL,
    CONSTRAINT scheduled_charges_pkey PRIMARY KEY (tenant_id, schedule_id, household_id, period_start),
    CONSTRAINT scheduled_charges_tenant_id_charge_id_key UNIQUE (tenant_id, charge_id),
    CONSTRAINT scheduled_charges_tenant_id_schedule_id_fkey
        FOREIGN KEY (tenant_id, schedule_id) REFERENCES charge_schedules (tenant_id, id),
    CONSTRAINT scheduled_charges_tenant_id_household_id_fkey
        FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    CONSTRAINT scheduled_charges_tenant_id_charge_id_fkey
        FOREIGN KEY (tenant_id, charge_id) REFERENCES charges (tenant_id, id)
);
