CREATE TABLE models (
    id BIGSERIAL PRIMARY KEY,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    data_id BIGINT REFERENCES data_items (id) ON DELETE SET NULL,
    data_spec TEXT,
    labels TEXT,
    config TEXT,
    weights_run BIGINT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (owner_id, name)
);
CREATE INDEX models_owner_created ON models (owner_id, created_at DESC, id DESC);
