DROP TABLE event_groups;
DROP TABLE group_members;
DROP TABLE groups;
DROP TABLE badges;
ALTER TABLE tenants DROP COLUMN leaderboards_show_dependants;
-- People without a login cannot be kept by the old shape.
DELETE FROM users WHERE kind = 'dependant' OR password_hash IS NULL;
UPDATE users SET role = 'user' WHERE role = 'staff';
ALTER TABLE users
    DROP CONSTRAINT users_login_check,
    DROP CONSTRAINT users_scopes_check,
    DROP CONSTRAINT users_kind_check,
    DROP CONSTRAINT users_role_check,
    ADD CONSTRAINT users_role_check CHECK (role IN ('user', 'admin')),
    ALTER COLUMN email SET NOT NULL,
    ALTER COLUMN password_hash SET NOT NULL,
    DROP COLUMN birth_year,
    DROP COLUMN scopes,
    DROP COLUMN kind;
