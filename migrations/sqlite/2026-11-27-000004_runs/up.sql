CREATE TABLE runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    model_id BIGINT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    -- the upload may be deleted later; the run keeps its number
    data_id BIGINT NOT NULL,
    config TEXT NOT NULL,
    iter BIGINT NOT NULL,
    warm_from BIGINT,
    data_spec TEXT NOT NULL,
    status TEXT NOT NULL,
    step BIGINT NOT NULL,
    error TEXT,
    final_accuracy DOUBLE PRECISION,
    final_loss DOUBLE PRECISION,
    training_seconds DOUBLE PRECISION NOT NULL,
    confusion TEXT,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP
);
CREATE INDEX runs_model ON runs (owner_id, model_id, id DESC);
CREATE INDEX runs_status ON runs (status);
CREATE TABLE run_points (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step BIGINT NOT NULL,
    accuracy DOUBLE PRECISION NOT NULL,
    loss DOUBLE PRECISION NOT NULL,
    duration DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, step)
);
