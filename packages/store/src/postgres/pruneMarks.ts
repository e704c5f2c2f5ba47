/**
 * `prune_marks` on PostgreSQL (migration 0001, hand-written), declared for Drizzle's query builder
 * only: it lives outside `pgSchema/` so drizzle-kit never generates it (the deferrable foreign key
 * to `prune_clearance` and the triggers are hand-written). Only the column the store's queries name.
 */
import { pgTable, text } from "drizzle-orm/pg-core"

export const pruneMarks = pgTable("prune_marks", {
  executionId: text("execution_id").primaryKey()
})
