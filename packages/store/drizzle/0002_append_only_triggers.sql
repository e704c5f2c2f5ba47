-- The log is append-only, enforced by the database for every writer of the file.
-- 1. No event is ever rewritten.
CREATE TRIGGER execution_events_no_update
BEFORE UPDATE ON execution_events
BEGIN
    SELECT RAISE(ABORT, 'execution_events is append-only: an event is never updated');
END;
--> statement-breakpoint
-- 2. Events are deleted only by retention, which removes a whole finished execution. Retention
-- first marks the execution in prune_marks; a delete of an unmarked execution's event is refused.
-- A mark holds a deferred foreign key to prune_clearance, which always stays empty: a transaction
-- that inserted a mark cannot commit until it deleted it again, and the mark can be deleted only
-- once no event of the execution is left. So a partial delete can never commit (with
-- PRAGMA foreign_keys=ON, which the store sets on every connection).
CREATE TABLE prune_clearance (
    id INTEGER PRIMARY KEY
);
--> statement-breakpoint
CREATE TRIGGER prune_clearance_stays_empty
BEFORE INSERT ON prune_clearance
BEGIN
    SELECT RAISE(ABORT, 'prune_clearance must stay empty');
END;
--> statement-breakpoint
CREATE TABLE prune_marks (
    execution_id TEXT PRIMARY KEY NOT NULL,
    uncleared INTEGER NOT NULL DEFAULT 0 REFERENCES prune_clearance(id) DEFERRABLE INITIALLY DEFERRED
);
--> statement-breakpoint
CREATE TRIGGER prune_marks_finished_only
BEFORE INSERT ON prune_marks
WHEN COALESCE((SELECT status FROM executions WHERE id = NEW.execution_id), '') NOT IN ('completed', 'failed')
BEGIN
    SELECT RAISE(ABORT, 'only a completed or failed execution can be pruned');
END;
--> statement-breakpoint
CREATE TRIGGER prune_marks_no_update
BEFORE UPDATE ON prune_marks
BEGIN
    SELECT RAISE(ABORT, 'prune_marks rows are inserted and deleted, never updated');
END;
--> statement-breakpoint
CREATE TRIGGER prune_marks_cleared_last
BEFORE DELETE ON prune_marks
WHEN EXISTS (SELECT 1 FROM execution_events WHERE execution_id = OLD.execution_id)
BEGIN
    SELECT RAISE(ABORT, 'a prune mark is removed only after every event of its execution');
END;
--> statement-breakpoint
CREATE TRIGGER execution_events_delete_only_pruned
BEFORE DELETE ON execution_events
WHEN NOT EXISTS (SELECT 1 FROM prune_marks WHERE execution_id = OLD.execution_id)
BEGIN
    SELECT RAISE(ABORT, 'execution_events is append-only: events are deleted only by pruning a finished execution');
END;
