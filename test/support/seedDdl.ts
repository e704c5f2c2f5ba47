/**
 * The seed's DDL (event-schema.seed.md, "데이터베이스 스키마"), verbatim: what the Rust program
 * runs on a new database. Tests create databases with it to check that Cratos Core adopts and
 * projects them.
 */
export const SEED_DDL = `
-- 실행 기록 테이블
CREATE TABLE IF NOT EXISTS executions (
    id TEXT PRIMARY KEY,                    -- UUID
    user_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    input_text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', -- pending, running, completed, failed
    created_at TEXT NOT NULL,               -- ISO 8601
    completed_at TEXT
);

-- 이벤트 테이블
CREATE TABLE IF NOT EXISTS execution_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    event_data TEXT NOT NULL,               -- JSON 문자열
    timestamp TEXT NOT NULL,                -- ISO 8601
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    FOREIGN KEY (execution_id) REFERENCES executions(id)
);

-- 인덱스
CREATE INDEX IF NOT EXISTS idx_events_execution_id ON execution_events(execution_id);
CREATE INDEX IF NOT EXISTS idx_events_user_id ON execution_events(user_id);
CREATE INDEX IF NOT EXISTS idx_events_timestamp ON execution_events(timestamp);
CREATE INDEX IF NOT EXISTS idx_executions_user_id ON executions(user_id);
CREATE INDEX IF NOT EXISTS idx_executions_created_at ON executions(created_at);
`
