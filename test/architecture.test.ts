/**
 * The package rules of ARCHITECTURE.md, checked: which workspace package may depend on which
 * (package.json), every `@cratos/*` import in a package's source is one it declares, and no
 * source file reaches into another package by a relative path. A new package fails here until
 * it has a row in ALLOWED (and in ARCHITECTURE.md's table).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const repoRoot = fileURLToPath(new URL("..", import.meta.url))

/** Package → the workspace packages it may depend on (ARCHITECTURE.md, "Packages"). */
const ALLOWED: Readonly<Record<string, ReadonlyArray<string>>> = {
  "@cratos/domain": [],
  "@cratos/store": ["@cratos/domain"],
  "@cratos/projector": ["@cratos/domain", "@cratos/store"],
  // the command-line kit shared by cratos and the worker: its failure describer knows the store's
  // and the projector's errors
  "@cratos/cli-kit": ["@cratos/domain", "@cratos/store", "@cratos/projector"],
  // the HTTP API's definition: schemas only, importable by a browser bundle
  "@cratos/http": ["@cratos/domain"],
  "@cratos/server": ["@cratos/domain", "@cratos/http", "@cratos/store", "@cratos/projector"],
  "@cratos/agent": [
    "@cratos/domain",
    "@cratos/store",
    "@cratos/projector",
    "@cratos/cli-kit",
    "@cratos/http",
    "@cratos/server"
  ],
  "@cratos/projector-worker": ["@cratos/domain", "@cratos/store", "@cratos/projector", "@cratos/cli-kit"],
  // the browser UI: the API's types, and the CLI's timeline lines (`@cratos/agent/timeline`) so the
  // page and `cratos show` print the same rows
  "@cratos/web": ["@cratos/domain", "@cratos/http", "@cratos/agent"]
}

interface Pkg {
  readonly name: string
  readonly dir: string
  readonly workspaceDeps: ReadonlyArray<string>
}

const packages: ReadonlyArray<Pkg> = ["packages", "apps"].flatMap((group) =>
  fs
    .readdirSync(path.join(repoRoot, group))
    .map((name) => path.join(repoRoot, group, name))
    .filter((dir) => fs.existsSync(path.join(dir, "package.json")))
    .map((dir) => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        name: string
        dependencies?: Record<string, string>
        devDependencies?: Record<string, string>
      }
      const deps = { ...json.dependencies, ...json.devDependencies }
      return { name: json.name, dir, workspaceDeps: Object.keys(deps).filter((d) => d.startsWith("@cratos/")) }
    })
)

const sourceFiles = (dir: string): Array<string> =>
  fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name)
        if (e.isDirectory()) return e.name === "node_modules" ? [] : sourceFiles(full)
        return /\.(ts|tsx|mts)$/.test(e.name) ? [full] : []
      })
    : []

const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g

describe("package boundaries (ARCHITECTURE.md)", () => {
  it("finds the workspace packages", () => {
    expect(packages.map((p) => p.name)).toEqual(expect.arrayContaining(["@cratos/domain", "@cratos/store"]))
  })

  it("each package depends only on the packages it may import", () => {
    for (const p of packages) {
      const allowed = ALLOWED[p.name]
      expect(allowed, `${p.name} has no row in ALLOWED (test/architecture.test.ts) and ARCHITECTURE.md`).toBeDefined()
      const forbidden = p.workspaceDeps.filter((d) => !allowed!.includes(d))
      expect(forbidden, `${p.name} may not depend on ${forbidden.join(", ")}`).toEqual([])
    }
  })

  it("a package's source imports only the @cratos packages it declares, and no other package's files", () => {
    const problems: Array<string> = []
    let seen = 0
    for (const p of packages) {
      for (const file of sourceFiles(path.join(p.dir, "src"))) {
        const text = fs.readFileSync(file, "utf8")
        for (const [, spec] of text.matchAll(IMPORT)) {
          const shown = `${path.relative(repoRoot, file)} imports ${spec}`
          if (spec!.startsWith("@cratos/")) seen++
          if (spec!.startsWith("@cratos/")) {
            const target = spec!.split("/").slice(0, 2).join("/")
            if (target !== p.name && !p.workspaceDeps.includes(target)) problems.push(`${shown}: not a dependency`)
          } else if (spec!.startsWith(".")) {
            const resolved = path.resolve(path.dirname(file), spec!)
            if (!resolved.startsWith(p.dir + path.sep)) problems.push(`${shown}: outside ${p.name}`)
          }
        }
      }
    }
    expect(problems).toEqual([])
    expect(seen, "the scan found the cross-package imports").toBeGreaterThan(50)
  })
})
