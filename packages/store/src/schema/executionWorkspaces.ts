/**
 * `execution_workspaces`: the folder an execution's file tools were confined to, recorded by the
 * CLI when it runs one, so `replay --mode rerun` runs it again in the same folder (issue 15, a
 * new user's bug 10). Not an event: the events' wire format is the seed's (CONTRACT.md). Goes with
 * its execution when retention prunes it (ON DELETE CASCADE).
 */
import { sqliteTable, text } from "drizzle-orm/sqlite-core"
import { executions } from "./executions.js"

export const executionWorkspaces = sqliteTable("execution_workspaces", {
  executionId: text("execution_id")
    .primaryKey()
    .references(() => executions.id, { onDelete: "cascade" }),
  /** Absolute path of the workspace folder. */
  workspace: text("workspace").notNull()
})
