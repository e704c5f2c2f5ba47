/** `projector_dead_letters`: log rows a projection could not apply (kept by the projector). */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const projectorDeadLetters = sqliteTable(
  "projector_dead_letters",
  {
    projection: text("projection").notNull(),
    position: integer("position").notNull(),
    executionId: text("execution_id").notNull(),
    error: text("error").notNull(),
    recordedAt: text("recorded_at").notNull()
  },
  (t) => [primaryKey({ columns: [t.projection, t.position] })]
)
