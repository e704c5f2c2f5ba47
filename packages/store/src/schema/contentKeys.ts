/**
 * `content_keys` (issue 14): each user's data key, wrapped (AES-256-GCM) by the master key.
 * Destroying a row is forgetting the user: the events stay, their raw content cannot be opened.
 */
import { sqliteTable, text } from "drizzle-orm/sqlite-core"

export const contentKeys = sqliteTable("content_keys", {
  userId: text("user_id").primaryKey(),
  /** Random id written into every envelope sealed with this key. */
  keyId: text("key_id").notNull().unique(),
  /** base64url of nonce | wrapped key | tag. */
  wrapped: text("wrapped").notNull(),
  /** Which master key wrapped it (first 8 bytes of its SHA-256, hex). */
  masterKeyId: text("master_key_id").notNull(),
  createdAt: text("created_at").notNull()
})
