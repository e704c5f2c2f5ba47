/** `writer_lease_children` on PostgreSQL: the SQLite table column for column (see `../schema/writerLeaseChildren.ts`). */
import { bigint, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core"

export const writerLeaseChildren = pgTable(
  "writer_lease_children",
  {
    executionId: text("execution_id").notNull(),
    /** The child's process group (its pid: it leads its group). */
    pgid: integer("pgid").notNull(),
    /** When that child started (epoch ms). */
    startedAt: bigint("started_at", { mode: "number" })
  },
  (t) => [primaryKey({ columns: [t.executionId, t.pgid] })]
)
