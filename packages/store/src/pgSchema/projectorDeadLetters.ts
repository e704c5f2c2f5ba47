/** `projector_dead_letters` on PostgreSQL: the SQLite table column for column (kept by the projector). */
import { bigint, pgTable, primaryKey, text } from "drizzle-orm/pg-core"

export const projectorDeadLetters = pgTable(
  "projector_dead_letters",
  {
    projection: text("projection").notNull(),
    position: bigint("position", { mode: "number" }).notNull(),
    executionId: text("execution_id").notNull(),
    error: text("error").notNull(),
    recordedAt: text("recorded_at").notNull()
  },
  (t) => [primaryKey({ columns: [t.projection, t.position] })]
)
