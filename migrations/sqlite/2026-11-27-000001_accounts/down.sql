DROP TABLE email_keys;
DROP TABLE sessions;
DROP TABLE users;
