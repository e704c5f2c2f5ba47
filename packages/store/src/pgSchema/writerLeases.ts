/** `writer_leases` on PostgreSQL: the SQLite table column for column (see `../schema/writerLeases.ts`). */
import { bigint, integer, pgTable, text } from "drizzle-orm/pg-core"

export const writerLeases = pgTable("writer_leases", {
  executionId: text("execution_id").primaryKey(),
  pid: integer("pid").notNull(),
  host: text("host").notNull(),
  /** Epoch ms. */
  processStartedAt: bigint("process_started_at", { mode: "number" }).notNull(),
  /** Epoch ms. */
  heartbeatAt: bigint("heartbeat_at", { mode: "number" }).notNull(),
  childPgid: integer("child_pgid"),
  childStartedAt: bigint("child_started_at", { mode: "number" })
})
