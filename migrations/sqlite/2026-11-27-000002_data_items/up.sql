CREATE TABLE data_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    file_class TEXT NOT NULL,
    upload_kind TEXT NOT NULL,
    original_name TEXT NOT NULL,
    stored_name TEXT NOT NULL,
    storage_key TEXT NOT NULL,
    size BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    source_url TEXT,
    file_count BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
-- listings are per owner, newest first
CREATE INDEX data_items_owner_created ON data_items (owner_id, created_at DESC, id DESC);
