/** An event ready to be inserted: its row values, encoded outside the write transaction. */
export interface EncodedEvent {
  /** `execution_events.event_type`: the variant name. */
  readonly eventType: string
  /** `execution_events.event_data`: the wire JSON. */
  readonly eventData: string
  /** `execution_events.timestamp`: the event's own timestamp, canonical RFC 3339. */
  readonly timestamp: string
}

export const INSERT_EVENT_SQL = `INSERT INTO execution_events (execution_id, user_id, event_type, event_data, timestamp)
VALUES (?, ?, ?, ?, ?)`
