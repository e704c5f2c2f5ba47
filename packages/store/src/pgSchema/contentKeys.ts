/** `content_keys` on PostgreSQL (issue 14): the SQLite table column for column (see `../schema/contentKeys.ts`). */
import { pgTable, text } from "drizzle-orm/pg-core"

export const contentKeys = pgTable("content_keys", {
  userId: text("user_id").primaryKey(),
  keyId: text("key_id").notNull().unique(),
  /** base64url of nonce | wrapped key | tag. */
  wrapped: text("wrapped").notNull(),
  masterKeyId: text("master_key_id").notNull(),
  createdAt: text("created_at").notNull()
})
