/** `idempotency_keys` on PostgreSQL: the SQLite table column for column (see `../schema/idempotencyKeys.ts`). */
import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core"

export const idempotencyKeys = pgTable("idempotency_keys", {
  key: text("key").primaryKey(),
  executionId: text("execution_id").notNull(),
  /** SHA-256 (hex) of the execution id and the encoded events of the request. */
  requestHash: text("request_hash").notNull(),
  /** Stream version after the append. */
  version: integer("version").notNull(),
  /** Global positions of the appended events. */
  firstPosition: bigint("first_position", { mode: "number" }).notNull(),
  lastPosition: bigint("last_position", { mode: "number" }).notNull(),
  createdAt: text("created_at").notNull()
})
