/** `projection_checkpoints`: how far each projection has read the log (kept by the projector). */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const projectionCheckpoints = sqliteTable("projection_checkpoints", {
  name: text("name").primaryKey(),
  version: integer("version").notNull(),
  position: integer("position").notNull().default(0),
  updatedAt: text("updated_at").notNull()
})
