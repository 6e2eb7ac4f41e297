-- Attendance: events with check-in windows, and one record per event and member.

CREATE TABLE events (
    id                 TEXT PRIMARY KEY NOT NULL,
    tenant_id          TEXT NOT NULL REFERENCES tenants (id),
    title              TEXT NOT NULL,
    description        TEXT,
    location           TEXT,
    starts_at          DATETIME NOT NULL,
    ends_at            DATETIME NOT NULL,
    check_in_opens_at  DATETIME NOT NULL,
    check_in_closes_at DATETIME NOT NULL,
    late_after         DATETIME NOT NULL,
    points_on_time     BIGINT NOT NULL CHECK (points_on_time >= 0),
    points_late        BIGINT NOT NULL CHECK (points_late >= 0),
    self_check_in      BOOLEAN NOT NULL,
    capacity           BIGINT CHECK (capacity > 0),
    -- Members recorded present or late; check-ins take a place with a
    -- conditional update (`attendees < capacity`), which also serialises them.
    attendees          BIGINT NOT NULL DEFAULT 0 CHECK (attendees >= 0),
    cancelled          BOOLEAN NOT NULL DEFAULT FALSE,
    -- Key of the rotating check-in codes (hex); never leaves the server.
    code_secret        TEXT NOT NULL,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    UNIQUE (tenant_id, id),
    CHECK (ends_at > starts_at),
    CHECK (check_in_closes_at > check_in_opens_at)
);
CREATE INDEX events_tenant_starts ON events (tenant_id, starts_at, id);
CREATE INDEX events_tenant_created ON events (tenant_id, created_at, id);

-- `points` is what the record has earned so far; `points_entry_id` is the
-- entry that opened its current earning (taken back by one reversal when the
-- member is marked absent or excused).
CREATE TABLE attendance_records (
    id              TEXT PRIMARY KEY NOT NULL,
    tenant_id       TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    household_id    TEXT,
    status          TEXT NOT NULL CHECK (status IN ('present', 'late', 'absent', 'excused')),
    checked_in_at   DATETIME,
    method          TEXT NOT NULL CHECK (method IN ('self', 'scan', 'bulk')),
    recorded_by     TEXT,
    nonce           TEXT,
    points          BIGINT NOT NULL DEFAULT 0 CHECK (points >= 0),
    points_entry_id TEXT,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, event_id, user_id),
    UNIQUE (tenant_id, event_id, nonce),
    FOREIGN KEY (tenant_id, event_id) REFERENCES events (tenant_id, id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, household_id) REFERENCES households (tenant_id, id),
    FOREIGN KEY (tenant_id, recorded_by) REFERENCES users (tenant_id, id),
    FOREIGN KEY (tenant_id, points_entry_id) REFERENCES point_entries (tenant_id, id)
);
CREATE INDEX attendance_event ON attendance_records (tenant_id, event_id, created_at, id);
CREATE INDEX attendance_user ON attendance_records (tenant_id, user_id, created_at, id);
