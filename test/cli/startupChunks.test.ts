/**
 * What each command loads (issue 15, start-up): the bin runs a split bundle (scripts/build.mjs)
 * and a command must load only the chunks it uses. `list`, `show`, `--help` and `--version` are
 * run for real with a preload that records every chunk the loader compiles; the chunks' sources
 * come from esbuild's metafile (dist/meta.json). The HTTP server, its client, PostgreSQL, the
 * metrics, WebSockets, fast-check and msgpackr must stay out of them; `token list` (which needs
 * the server's code) is the control that shows the recording sees those packages when they load.
 */
import { beforeAll, describe, expect, it, vi } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { cratos, ROOT, seed, tempDir } from "./harness.js"

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 })

const dir = tempDir()
const db = path.join(dir, "cratos.db")
const DIST = path.join(ROOT, "apps", "agent", "dist")
const RECORDER = path.join(ROOT, "test", "cli", "recordChunks.cjs")

interface Meta {
  readonly outputs: Record<string, { readonly inputs: Record<string, { readonly bytesInOutput: number }> }>
}

/** A metafile input's package: `undici`, `@effect/platform`, or a workspace folder such as `apps/server`. */
const packageOf = (input: string): string => {
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(input)
  if (dep !== null) return dep[1]!
  const own = /^(apps|packages)\/([^/]+)/.exec(input)
  return own === null ? input : `${own[1]}/${own[2]}`
}

/** The source files, and their packages, whose code was in the chunks `cratos args…` loaded. */
const loadedBy = async (
  args: ReadonlyArray<string>
): Promise<{ readonly packages: ReadonlySet<string>; readonly files: ReadonlySet<string> }> => {
  const record = path.join(dir, `chunks-${args.join("_").replace(/\W/g, "")}.txt`)
  const r = await cratos(args, { db, env: { NODE_OPTIONS: `--require ${RECORDER}`, CRATOS_TEST_CHUNKS_FILE: record } })
  expect(r.stderr).toBe("")
  expect(r.code).toBe(0)
  const meta = JSON.parse(fs.readFileSync(path.join(DIST, "meta.json"), "utf8")) as Meta
  const chunks = fs
    .readFileSync(record, "utf8")
    .split("\n")
    .filter((f) => f.startsWith(DIST))
  expect(chunks).toContain(path.join(DIST, "entry.cjs"))
  const packages = new Set<string>()
  const files = new Set<string>()
  for (const chunk of chunks) {
    const output = Object.entries(meta.outputs).find(([file]) => path.resolve(ROOT, file) === chunk)
    expect(output, `${chunk} is in dist/meta.json`).toBeDefined()
    for (const input of Object.keys(output![1].inputs)) {
      packages.add(packageOf(input))
      files.add(input)
    }
  }
  return { packages, files }
}

const packagesLoadedBy = async (args: ReadonlyArray<string>) => (await loadedBy(args)).packages

const SERVER_ONLY = [
  "apps/server",
  "undici",
  "@effect/platform-node",
  "ws",
  "pg",
  "prom-client",
  "fast-check",
  "msgpackr"
] as const

beforeAll(async () => {
  await seed(db)
})

describe("what a command loads", () => {
  it.each([[["list"]], [["show", "last"]], [["--help"]], [["--version"]], [["list", "--help"]]])(
    "cratos %j loads none of the server's, PostgreSQL's or the tests' packages",
    async (args) => {
      const loaded = await packagesLoadedBy(args)
      expect(loaded).toContain("effect")
      for (const pkg of SERVER_ONLY) expect(loaded, pkg).not.toContain(pkg)
    }
  )

  it("--help and --version load neither the database layer nor the domain's secret-masking rules", async () => {
    for (const args of [["--help"], ["--version"]]) {
      const { files, packages } = await loadedBy(args)
      for (const pkg of ["better-sqlite3", "drizzle-orm", "packages/store", "packages/projector"])
        expect(packages, pkg).not.toContain(pkg)
      expect(files).not.toContain("packages/domain/src/maskSecrets/gitleaksRuleData.ts")
      expect(files).not.toContain("packages/domain/src/EventCodec.ts")
    }
  })

  it("token list, which needs the server's code, is seen loading it (the recording works)", async () => {
    const loaded = await packagesLoadedBy(["token", "list"])
    expect(loaded).toContain("apps/server")
    expect(loaded).toContain("undici")
    expect(loaded).toContain("packages/store")
  })
})
