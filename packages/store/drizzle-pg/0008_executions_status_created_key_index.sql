-- SQLite's 0008 on PostgreSQL: the list filtered by status, newest first (the web UI's and
-- `cratos list --status`). Without it the read model reads idx_executions_created_key backwards
-- and filters every other status's rows away (EXPLAIN in test/postgres/readModelPlan.test.ts).
-- This index is (status, key), the key written exactly as instantKeyPgSql("created_at").
-- Hand-written, as the other instant-key indexes (0001): drizzle-kit splits an index expression
-- at its commas (drizzle-orm#6062).
CREATE INDEX idx_executions_status_created_key ON executions (status, (substr(created_at, 1, 10) || 'T' || substr(created_at, 12, 8) || substr((CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(created_at, 20, length(created_at) - 19 - (CASE WHEN right(created_at, 1) IN ('Z', 'z') THEN 1 WHEN substr(right(created_at, 6), 1, 1) IN ('+', '-') THEN 6 ELSE 0 END)) ELSE '.' END) || '000000000', 1, 10)));
