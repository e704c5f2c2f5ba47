-- The store's two writes as functions: one round trip each instead of six or seven (BEGIN, the
-- row lock, the key, the version, the log lock, the insert, COMMIT), the same steps in the same
-- order as PostgresEventStore.ts did them from the client. Run as one statement, so atomic.
-- Outcome: 'appended' | 'started' | 'deduplicated' | 'not_found' | 'conflict' | 'key_conflict' | 'exists'.
-- 7303841002 is the log's advisory lock (statements.ts LOG_LOCK_KEY): ids become visible in id order.
CREATE FUNCTION cratos_append(
    p_execution_id text, p_key text, p_hash text, p_expected integer,
    p_types text[], p_data text[], p_timestamps text[], p_now text
) RETURNS TABLE (outcome text, version integer, first_position bigint, last_position bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_user text;
    v_version integer;
    v_key idempotency_keys%ROWTYPE;
    v_first bigint;
    v_last bigint;
BEGIN
    -- Appends to one stream queue here, in every process.
    SELECT e.user_id INTO v_user FROM executions e WHERE e.id = p_execution_id FOR UPDATE;
    IF p_key IS NOT NULL THEN
        SELECT * INTO v_key FROM idempotency_keys k WHERE k.key = p_key;
        IF FOUND THEN
            IF v_key.request_hash = p_hash AND v_key.execution_id = p_execution_id THEN
                RETURN QUERY SELECT 'deduplicated', v_key.version, v_key.first_position, v_key.last_position;
            ELSE
                RETURN QUERY SELECT 'key_conflict', 0, 0::bigint, 0::bigint;
            END IF;
            RETURN;
        END IF;
    END IF;
    IF v_user IS NULL THEN
        RETURN QUERY SELECT 'not_found', 0, 0::bigint, 0::bigint;
        RETURN;
    END IF;
    SELECT count(*)::integer INTO v_version FROM execution_events ev WHERE ev.execution_id = p_execution_id;
    IF p_expected IS NOT NULL AND p_expected <> v_version THEN
        RETURN QUERY SELECT 'conflict', v_version, 0::bigint, 0::bigint;
        RETURN;
    END IF;
    IF cardinality(p_types) > 0 THEN
        PERFORM pg_advisory_xact_lock(7303841002);
        WITH inserted AS (
            INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
            SELECT p_execution_id, v_user, u.t, u.d, u.ts
            FROM unnest(p_types, p_data, p_timestamps) WITH ORDINALITY AS u(t, d, ts, n) ORDER BY u.n
            RETURNING id
        )
        SELECT min(id), max(id) INTO v_first, v_last FROM inserted;
    END IF;
    v_version := v_version + cardinality(p_types);
    IF p_key IS NOT NULL THEN
        INSERT INTO idempotency_keys (key, execution_id, request_hash, version, first_position, last_position, created_at)
        VALUES (p_key, p_execution_id, p_hash, v_version, COALESCE(v_first, 0), COALESCE(v_last, 0), p_now);
    END IF;
    RETURN QUERY SELECT 'appended', v_version, COALESCE(v_first, 0), COALESCE(v_last, 0);
END $$;
--> statement-breakpoint
CREATE FUNCTION cratos_start_execution(
    p_execution_id text, p_user_id text, p_channel text, p_input_text text, p_created_at text,
    p_key text, p_hash text, p_event_type text, p_event_data text, p_timestamp text, p_now text
) RETURNS TABLE (outcome text, first_position bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_key idempotency_keys%ROWTYPE;
    v_position bigint;
BEGIN
    IF p_key IS NOT NULL THEN
        SELECT * INTO v_key FROM idempotency_keys k WHERE k.key = p_key;
        IF FOUND THEN
            IF v_key.request_hash = p_hash AND v_key.execution_id = p_execution_id THEN
                RETURN QUERY SELECT 'deduplicated', v_key.first_position;
            ELSE
                RETURN QUERY SELECT 'key_conflict', 0::bigint;
            END IF;
            RETURN;
        END IF;
    END IF;
    INSERT INTO executions (id, user_id, channel, input_text, status, created_at)
    VALUES (p_execution_id, p_user_id, p_channel, p_input_text, 'pending', p_created_at)
    ON CONFLICT (id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'exists', 0::bigint;
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(7303841002);
    INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
    VALUES (p_execution_id, p_user_id, p_event_type, p_event_data, p_timestamp)
    RETURNING id INTO v_position;
    IF p_key IS NOT NULL THEN
        INSERT INTO idempotency_keys (key, execution_id, request_hash, version, first_position, last_position, created_at)
        VALUES (p_key, p_execution_id, p_hash, 1, v_position, v_position, p_now);
    END IF;
    RETURN QUERY SELECT 'started', v_position;
END $$;
