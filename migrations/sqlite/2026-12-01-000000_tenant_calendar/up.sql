-- The day a tenant's weeks start on: weekly leaderboards and reward limits
-- count from local midnight of that day, in the tenant's time zone.
ALTER TABLE tenants ADD COLUMN week_starts_on TEXT NOT NULL DEFAULT 'monday'
    CONSTRAINT tenants_week_starts_on_check CHECK (week_starts_on IN
        ('monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'));
