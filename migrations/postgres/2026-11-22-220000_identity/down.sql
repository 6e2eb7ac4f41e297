DROP TABLE audit_events;
DROP TABLE password_reset_codes;
DROP TABLE login_attempts;
DROP TABLE refresh_tokens;
DROP TABLE sessions;
DROP TABLE users;
