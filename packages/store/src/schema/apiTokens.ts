/**
 * `api_tokens`: the bearer tokens of the HTTP API (`cratos token create|list|revoke`). A token is
 * `cratos_<id>_<secret>`; only the SHA-256 of the whole token is kept, compared in constant time
 * after a lookup by `id`, so the secret is never stored and a lookup never times the secret.
 * Revoking deletes the row.
 */
import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core"

export const apiTokens = sqliteTable(
  "api_tokens",
  {
    /** Public part of the token (16 hex), the lookup key. */
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    /** SHA-256 (hex) of the whole token. */
    hash: text("hash").notNull(),
    /** Comma-separated: read, ingest, approve. */
    scopes: text("scopes").notNull(),
    /** When set, the token reads and writes only this user's executions. */
    userId: text("user_id"),
    createdAt: text("created_at").notNull()
  },
  (t) => [uniqueIndex("idx_api_tokens_name").on(t.name)]
)
