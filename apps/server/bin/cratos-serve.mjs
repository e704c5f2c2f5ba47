#!/usr/bin/env node
// `cratos serve` on its own (the tests and the benchmark start it this way): TypeScript sources
// run through tsx's loader, as bin/cratos.mjs does.
await import("effect")
const { register } = await import("tsx/esm/api")
register()
await import("../src/main.ts")
