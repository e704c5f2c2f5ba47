#!/usr/bin/env -S node --max-old-space-size=64 --max-semi-space-size=2
// cratos-projector: the projector worker. TypeScript sources run through tsx's loader.
//
// The heap flags keep a long catch-up flat: without them V8 lets the old generation grow with
// the log before collecting (300+ MB RSS over 2M events); with them the same catch-up peaks at
// about 155 MB at the same speed (BENCHMARKS.md). `pnpm projector` passes the same flags.
//
// effect is imported before tsx's hooks are registered, so its plain-JS modules load at Node's
// own speed rather than each through the loader thread; the sources' `import "effect"` resolves
// to the same URL, hence the same instance.
await import("effect")
const { register } = await import("tsx/esm/api")
register()
await import("../src/main.ts")
