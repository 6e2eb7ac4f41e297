DROP TABLE scheduled_charges;
DROP TABLE charge_schedule_households;
DROP TABLE charge_schedules;
ALTER TABLE tenants DROP COLUMN term_starts;
