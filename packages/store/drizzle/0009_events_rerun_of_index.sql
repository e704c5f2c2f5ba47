-- Reruns are recorded in the event itself: `cratos replay --mode rerun` writes the original
-- execution's id as the rerun's MessageReceived `message.thread_id` (the wire format is the
-- seed's; nothing else records the link). This partial index on that field lets the API find an
-- execution's reruns (GET /api/v1/executions/{id}/reruns) without reading every MessageReceived.
-- thread_id is not a sealed (raw content) field, so the index reads it in the clear.
-- Only built-in deterministic functions (json_extract): other writers of the file are unaffected.
CREATE INDEX idx_events_message_thread_id ON execution_events (json_extract(event_data, '$.message.thread_id')) WHERE event_type = 'MessageReceived';
