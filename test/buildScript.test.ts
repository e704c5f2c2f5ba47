/** scripts/build.mjs's rewrite of effect's barrel imports (what keeps a command's chunks to what it uses). */
import { describe, expect, it } from "@effect/vitest"

const BUILD_SCRIPT = new URL("../scripts/build.mjs", import.meta.url).href
const { deepEffectImports } = (await import(BUILD_SCRIPT)) as { deepEffectImports: (source: string) => string }

describe("deepEffectImports", () => {
  it("imports each named module of effect from its own path, and Function's helpers from effect/Function", () => {
    expect(deepEffectImports(`import { Effect, type Brand, Schema as S, pipe } from "effect"\nconst x = 1\n`)).toBe(
      `import * as Effect from "effect/Effect"; import * as S from "effect/Schema"; ` +
        `import { pipe as pipe } from "effect/Function"\nconst x = 1\n`
    )
  })

  it("leaves type-only imports, other packages and effect's own subpaths as they are", () => {
    const source = [
      `import type { Effect } from "effect"`,
      `import { type Layer } from "effect"`,
      `import { Schema } from "@effect/platform"`,
      `import * as Either from "effect/Either"`
    ].join("\n")
    expect(deepEffectImports(source)).toBe(source)
  })
})
