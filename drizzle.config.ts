/**
 * drizzle-kit: the store's schema and its migrations. `pnpm db:generate` writes a migration for a
 * schema change, `pnpm db:check` (part of `pnpm check`) verifies the migration history.
 * Hand-written SQL (triggers) comes through `drizzle-kit generate --custom --name <why>`.
 */
import { defineConfig } from "drizzle-kit"

export default defineConfig({
  dialect: "sqlite",
  schema: "./packages/store/src/schema",
  out: "./packages/store/drizzle"
})
