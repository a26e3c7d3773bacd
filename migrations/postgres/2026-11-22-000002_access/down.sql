DROP TRIGGER audit_log_no_change ON audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE api_keys;
DROP TABLE auth_throttle;
DROP TABLE refresh_tokens;
DROP TABLE users;
DROP TABLE deputies;
