/**
 * `writer_lease_children`: the process groups of the tool children a lease's writer runs now
 * (exec's `/bin/sh`, each started in a group of its own), one row per group, so a writer running
 * several steps side by side names every one of them. A row is added when the child starts and
 * deleted when it ends; the lease's release deletes what is left. When the writer is found dead,
 * every group still named here (and still that child's: same start time) is killed. Supersedes
 * `writer_leases.child_pgid`, which named only the latest child and is no longer written.
 */
import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const writerLeaseChildren = sqliteTable(
  "writer_lease_children",
  {
    executionId: text("execution_id").notNull(),
    /** The child's process group (its pid: it leads its group). */
    pgid: integer("pgid").notNull(),
    /** When that child started (epoch ms): the group is killed only if it is still that child's. */
    startedAt: integer("started_at")
  },
  (t) => [primaryKey({ columns: [t.executionId, t.pgid] })]
)
