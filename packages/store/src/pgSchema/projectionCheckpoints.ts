/** `projection_checkpoints` on PostgreSQL: the SQLite table column for column (kept by the projector). */
import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core"

export const projectionCheckpoints = pgTable("projection_checkpoints", {
  name: text("name").primaryKey(),
  version: integer("version").notNull(),
  position: bigint("position", { mode: "number" }).notNull().default(0),
  updatedAt: text("updated_at").notNull()
})
