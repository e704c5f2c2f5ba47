-- The seed's DDL (event-schema.seed.md), verbatim: a database created by the Rust program holds
-- exactly these tables and indexes, and opening one records this migration as applied.
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
--> statement-breakpoint
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
--> statement-breakpoint
-- 인덱스
CREATE INDEX IF NOT EXISTS idx_events_execution_id ON execution_events(execution_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_events_user_id ON execution_events(user_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_events_timestamp ON execution_events(timestamp);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_executions_user_id ON executions(user_id);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS idx_executions_created_at ON executions(created_at);
