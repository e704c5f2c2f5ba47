#!/usr/bin/env node
// cratos-projector: the projector worker. Loads TypeScript through tsx, then runs src/main.ts.
import { register } from "tsx/esm/api"

register()
await import("../src/main.ts")
