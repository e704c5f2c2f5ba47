/**
 * `writer_leases`: which process is writing an execution (issue 15). The agent takes the lease
 * when it starts an execution, refreshes `heartbeat_at` while it runs and deletes it when the
 * execution ends. A lease left behind names a writer that died (SIGKILL, power loss): the next
 * `cratos` command closes that execution as failed ("abandoned: its writer stopped"). Not an
 * event: bookkeeping of live processes, not history. No foreign key: the lease is taken before
 * the execution's first event, and a lease whose execution was pruned is simply dropped.
 */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core"

export const writerLeases = sqliteTable("writer_leases", {
  executionId: text("execution_id").primaryKey(),
  /** The writer's process id. */
  pid: integer("pid").notNull(),
  /** `os.hostname()` of the writer: its pid means something only on that host. */
  host: text("host").notNull(),
  /** When the writer process started (epoch ms): guards against a reused pid. */
  processStartedAt: integer("process_started_at").notNull(),
  /** Last heartbeat (epoch ms): a writer on another host is dead when this is too old. */
  heartbeatAt: integer("heartbeat_at").notNull(),
  /** Process group of the tool child running now (exec), killed with a dead writer. */
  childPgid: integer("child_pgid"),
  /** When that child started (epoch ms): the group is killed only if it is still that child's. */
  childStartedAt: integer("child_started_at")
})
