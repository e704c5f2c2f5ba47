/** `forgotten_users` (issue 14): whose data key was destroyed, and when (`cratos forget`). */
import { sqliteTable, text } from "drizzle-orm/sqlite-core"

export const forgottenUsers = sqliteTable("forgotten_users", {
  userId: text("user_id").primaryKey(),
  keyId: text("key_id").notNull(),
  forgottenAt: text("forgotten_at").notNull()
})
