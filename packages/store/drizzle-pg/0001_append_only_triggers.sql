-- The log is append-only, enforced by the database for every writer (as SQLite's migration 0002).
-- 1. No event is ever rewritten, and the table is never truncated (TRUNCATE skips row triggers).
CREATE FUNCTION execution_events_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'execution_events is append-only: an event is never updated' USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER execution_events_no_update BEFORE UPDATE ON execution_events
FOR EACH ROW EXECUTE FUNCTION execution_events_refuse_update();
--> statement-breakpoint
CREATE FUNCTION execution_events_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'execution_events is append-only: it is never truncated' USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER execution_events_no_truncate BEFORE TRUNCATE ON execution_events
FOR EACH STATEMENT EXECUTE FUNCTION execution_events_refuse_truncate();
--> statement-breakpoint
-- 2. Events are deleted only by retention, which removes a whole finished execution: it marks the
-- execution in prune_marks first; a delete of an unmarked execution's event is refused. A mark
-- holds a deferred foreign key to prune_clearance, which always stays empty: a transaction that
-- inserted a mark cannot commit until it deleted it, and the mark can be deleted only once no
-- event of the execution is left. So a partial delete can never commit.
CREATE TABLE prune_clearance (
    id integer PRIMARY KEY
);
--> statement-breakpoint
CREATE FUNCTION prune_clearance_refuse_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'prune_clearance must stay empty' USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER prune_clearance_stays_empty BEFORE INSERT ON prune_clearance
FOR EACH ROW EXECUTE FUNCTION prune_clearance_refuse_insert();
--> statement-breakpoint
CREATE TABLE prune_marks (
    execution_id text PRIMARY KEY NOT NULL,
    uncleared integer NOT NULL DEFAULT 0 REFERENCES prune_clearance(id) DEFERRABLE INITIALLY DEFERRED
);
--> statement-breakpoint
CREATE FUNCTION prune_marks_check_finished() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF COALESCE((SELECT status FROM executions WHERE id = NEW.execution_id), '') NOT IN ('completed', 'failed') THEN
        RAISE EXCEPTION 'only a completed or failed execution can be pruned' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER prune_marks_finished_only BEFORE INSERT ON prune_marks
FOR EACH ROW EXECUTE FUNCTION prune_marks_check_finished();
--> statement-breakpoint
CREATE FUNCTION prune_marks_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'prune_marks rows are inserted and deleted, never updated' USING ERRCODE = 'restrict_violation';
END $$;
--> statement-breakpoint
CREATE TRIGGER prune_marks_no_update BEFORE UPDATE ON prune_marks
FOR EACH ROW EXECUTE FUNCTION prune_marks_refuse_update();
--> statement-breakpoint
CREATE FUNCTION prune_marks_check_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM execution_events WHERE execution_id = OLD.execution_id) THEN
        RAISE EXCEPTION 'a prune mark is removed only after every event of its execution' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER prune_marks_cleared_last BEFORE DELETE ON prune_marks
FOR EACH ROW EXECUTE FUNCTION prune_marks_check_cleared();
--> statement-breakpoint
CREATE FUNCTION execution_events_check_pruned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM prune_marks WHERE execution_id = OLD.execution_id) THEN
        RAISE EXCEPTION 'execution_events is append-only: events are deleted only by pruning a finished execution'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
END $$;
--> statement-breakpoint
CREATE TRIGGER execution_events_delete_only_pruned BEFORE DELETE ON execution_events
FOR EACH ROW EXECUTE FUNCTION execution_events_check_pruned();
--> statement-breakpoint
-- "Newest first" and time filters compare created_at as an instant through instantKeyPgSql("created_at")
-- (packages/store/src/sql/instantKey.ts): stored spellings do not sort as text. Hand-written, as on SQLite.
CREATE INDEX idx_executions_created_key ON executions ((substr(created_at, 1, 10) || 'T' || substr(created_at, 12, 8) || substr((CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(created_at, 20, length(created_at) - 19 - (CASE WHEN right(created_at, 1) IN ('Z', 'z') THEN 1 WHEN substr(right(created_at, 6), 1, 1) IN ('+', '-') THEN 6 ELSE 0 END)) ELSE '.' END) || '000000000', 1, 10)));
--> statement-breakpoint
CREATE INDEX idx_executions_user_created_key ON executions (user_id, (substr(created_at, 1, 10) || 'T' || substr(created_at, 12, 8) || substr((CASE WHEN substr(created_at, 20, 1) = '.' THEN substr(created_at, 20, length(created_at) - 19 - (CASE WHEN right(created_at, 1) IN ('Z', 'z') THEN 1 WHEN substr(right(created_at, 6), 1, 1) IN ('+', '-') THEN 6 ELSE 0 END)) ELSE '.' END) || '000000000', 1, 10)));
