/**
 * drizzle-kit for the PostgreSQL store: the pg-core schema (`packages/store/src/pgSchema`, the
 * SQLite schema's tables under the same names) and its migrations (`packages/store/drizzle-pg`).
 * `pnpm db:generate:pg` writes a migration, `pnpm db:check` checks both dialects.
 */
import { defineConfig } from "drizzle-kit"

export default defineConfig({
  dialect: "postgresql",
  schema: "./packages/store/src/pgSchema",
  out: "./packages/store/drizzle-pg"
})
