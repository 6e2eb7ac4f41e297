-- Tenants are organisations; every tenant-owned table references them.
CREATE TABLE tenants (
    id           TEXT PRIMARY KEY NOT NULL,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    timezone     TEXT NOT NULL,
    registration TEXT NOT NULL DEFAULT 'approval'
                 CHECK (registration IN ('open', 'approval', 'closed')),
    created_at   DATETIME NOT NULL
);
