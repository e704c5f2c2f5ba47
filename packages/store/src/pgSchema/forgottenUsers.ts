/** `forgotten_users` on PostgreSQL (issue 14): the SQLite table column for column (see `../schema/forgottenUsers.ts`). */
import { pgTable, text } from "drizzle-orm/pg-core"

export const forgottenUsers = pgTable("forgotten_users", {
  userId: text("user_id").primaryKey(),
  keyId: text("key_id").notNull(),
  forgottenAt: text("forgotten_at").notNull()
})
