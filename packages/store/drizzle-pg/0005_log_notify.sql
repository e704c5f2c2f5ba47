-- Custom SQL migration file, put your code below! --
-- LISTEN/NOTIFY for projectors that follow the log (`--follow`): every statement that inserts
-- events notifies `cratos_log`; PostgreSQL delivers it when the transaction commits (never for
-- one that rolls back) and folds the notices of one transaction into one. The payload is empty:
-- a woken projector reads the log from its checkpoint, as after a poll.
CREATE FUNCTION execution_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('cratos_log', '');
    RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER execution_events_notify AFTER INSERT ON execution_events
FOR EACH STATEMENT EXECUTE FUNCTION execution_events_notify();
