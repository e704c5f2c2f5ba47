/**
 * `idempotency_keys`: the first result of every append made with an idempotency key, written in
 * the append's transaction, so a retry (even from another process, after a restart) returns it.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const idempotencyKeys = sqliteTable("idempotency_keys", {
  key: text("key").primaryKey(),
  executionId: text("execution_id").notNull(),
  /** SHA-256 (hex) of the execution id and the encoded events of the request. */
  requestHash: text("request_hash").notNull(),
  /** Stream version after the append. */
  version: integer("version").notNull(),
  /** Global positions of the appended events: first..last, consecutive. */
  firstPosition: integer("first_position").notNull(),
  lastPosition: integer("last_position").notNull(),
  createdAt: text("created_at").notNull()
})
