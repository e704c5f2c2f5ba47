/**
 * `prune_marks` (migration 0002, hand-written), declared for Drizzle's query builder only: it lives
 * outside `schema/` so drizzle-kit never generates it (drizzle cannot declare its deferrable
 * foreign key to `prune_clearance`, nor the triggers that guard it). Only the column the store's
 * queries name is declared; `uncleared` keeps its database default.
 */
import { sqliteTable, text } from "drizzle-orm/sqlite-core"

export const pruneMarks = sqliteTable("prune_marks", {
  executionId: text("execution_id").primaryKey()
})
