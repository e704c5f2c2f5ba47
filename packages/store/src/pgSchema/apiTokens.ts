/** `api_tokens` on PostgreSQL: the SQLite table column for column (see `../schema/apiTokens.ts`). */
import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core"

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** SHA-256 (hex) of the whole token. */
    hash: text("hash").notNull(),
    /** Comma-separated: read, ingest, approve. */
    scopes: text("scopes").notNull(),
    userId: text("user_id"),
    createdAt: text("created_at").notNull()
  },
  (t) => [uniqueIndex("idx_api_tokens_name").on(t.name)]
)
