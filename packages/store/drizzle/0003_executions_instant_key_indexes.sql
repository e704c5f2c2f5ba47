-- "Newest first" and time filters on executions compare created_at as an instant, through the
-- sortable key instantKeySql("created_at") (packages/store/src/sql/instantKey.ts): stored spellings
-- do not sort as text. SQLite uses an expression index only for a query with the same expression,
-- so this text is instantKeySql("created_at") exactly (a test compares it with sqlite_master).
-- Only built-in deterministic functions: other writers of the file (the Rust program) are unaffected.
-- Hand-written: drizzle-kit 0.31 splits an index expression at its commas (drizzle-orm#6062).
CREATE INDEX idx_executions_created_key ON executions ((substr(created_at, 1, 10) || 'T' || substr(created_at, 12, 8) || substr((CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(created_at, 20, length(created_at) - 19 - (CASE WHEN substr(created_at, -1) IN ('Z', 'z') THEN 1 WHEN substr(created_at, -6, 1) IN ('+', '-') THEN 6 ELSE 0 END)) ELSE '.' END) || '000000000', 1, 10)));
--> statement-breakpoint
CREATE INDEX idx_executions_user_created_key ON executions (user_id, (substr(created_at, 1, 10) || 'T' || substr(created_at, 12, 8) || substr((CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(created_at, 20, length(created_at) - 19 - (CASE WHEN substr(created_at, -1) IN ('Z', 'z') THEN 1 WHEN substr(created_at, -6, 1) IN ('+', '-') THEN 6 ELSE 0 END)) ELSE '.' END) || '000000000', 1, 10)));
