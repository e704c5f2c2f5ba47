#!/usr/bin/env node
// cratos-projector: the projector worker. TypeScript sources run through tsx's loader.
//
// effect is imported before tsx's hooks are registered, so its plain-JS modules load at Node's
// own speed rather than each through the loader thread; the sources' `import "effect"` resolves
// to the same URL, hence the same instance.
await import("effect")
const { register } = await import("tsx/esm/api")
register()
await import("../src/main.ts")
