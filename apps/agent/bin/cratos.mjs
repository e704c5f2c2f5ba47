#!/usr/bin/env node
// The `cratos` command: runs the built bundle (apps/agent/dist, `pnpm build`; scripts/build.mjs
// says how and why) through its code-cache loader. Without a build (a fresh checkout before
// `pnpm build`), it runs the TypeScript sources through tsx instead, ten times slower to start.
import { existsSync } from "node:fs"
import { createRequire } from "node:module"

const built = new URL("../dist/main.cjs", import.meta.url)
if (existsSync(built)) {
  createRequire(import.meta.url)(built.pathname)
} else {
  const { register } = await import("tsx/esm/api")
  register()
  await import("../src/main.ts")
}
