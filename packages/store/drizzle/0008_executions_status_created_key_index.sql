-- The list filtered by status, newest first (the web UI's and `cratos list --status`): the
-- (status, created_at) index of migration 0000 orders by the stored text, not by the instant key
-- instantKeySql("created_at") the list sorts by, so SQLite sorted every row of that status
-- (703 ms for status=completed on 100,000 executions). This index is (status, key), the key
-- written exactly as instantKeySql("created_at") (a test compares it with sqlite_master).
-- Hand-written: drizzle-kit 0.31 splits an index expression at its commas (drizzle-orm#6062).
CREATE INDEX idx_executions_status_created_key ON executions (status, (substr(created_at, 1, 10) || 'T' || substr(created_at, 12, 8) || substr((CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(created_at, 20, length(created_at) - 19 - (CASE WHEN substr(created_at, -1) IN ('Z', 'z') THEN 1 WHEN substr(created_at, -6, 1) IN ('+', '-') THEN 6 ELSE 0 END)) ELSE '.' END) || '000000000', 1, 10)));
