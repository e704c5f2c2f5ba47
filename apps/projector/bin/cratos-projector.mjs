#!/usr/bin/env -S node --max-old-space-size=64 --max-semi-space-size=2
// cratos-projector: the projector worker. Runs the built bundle (apps/projector/dist, `pnpm build`;
// scripts/build.mjs) through its code-cache loader; without a build, the TypeScript sources
// through tsx.
//
// The heap flags keep a long catch-up flat: without them V8 lets the old generation grow with
// the log before collecting (300+ MB RSS over 2M events); with them the same catch-up peaks at
// about 155 MB at the same speed (BENCHMARKS.md). `pnpm projector` passes the same flags.
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
