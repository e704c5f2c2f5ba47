// Builds the bins' JavaScript: `cratos` (apps/agent/src/main.ts) and the projector worker
// (apps/projector/src/main.ts), each bundled by esbuild into one CommonJS file
// (<app>/dist/bundle.cjs) beside a small loader (<app>/dist/main.cjs, from bundleLoader.cjs)
// that runs it with V8's code cache.
//
// Why (BENCHMARKS.md, "CLI start-up"): through tsx's loader every command took 13-19x as long as
// `node -e 0`; bundled and minified as ESM with code splitting still 4x (compiling 750 kB of
// effect took half of it); one CommonJS bundle with a code cache 2.3-2.8x. A command's modules
// are still evaluated only when it runs: the dispatcher's `import()` of a command becomes a lazy
// initializer in the bundle. better-sqlite3 stays external (a native addon). The store finds its
// migrations beside its source (`new URL("../drizzle", import.meta.url)`); in the bundle each
// source's `import.meta.url` is rewritten to that source's own URL, relative to the output folder.
//
// `node scripts/build.mjs` builds; `--if-stale` builds only when a source (any .ts/.json/.sql
// under apps/ and packages/, the lockfile, this script, the loader) is newer than an output.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs"
import { basename, dirname, join, relative } from "node:path"
import { createRequire } from "node:module"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const loader = join(root, "scripts", "bundleLoader.cjs")

export const targets = [
  { name: "cratos", entry: "apps/agent/src/main.ts", outdir: "apps/agent/dist" },
  { name: "cratos-projector", entry: "apps/projector/src/main.ts", outdir: "apps/projector/dist" }
]

const newestSource = () => {
  let newest = Math.max(
    statSync(fileURLToPath(import.meta.url)).mtimeMs,
    statSync(loader).mtimeMs,
    statSync(join(root, "pnpm-lock.yaml")).mtimeMs
  )
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === "dist") continue
      const p = join(dir, entry.name)
      if (entry.isDirectory()) walk(p)
      else if (/\.(ts|json|sql)$/.test(entry.name) && !entry.name.endsWith(".test.ts")) {
        newest = Math.max(newest, statSync(p).mtimeMs)
      }
    }
  }
  walk(join(root, "apps"))
  walk(join(root, "packages"))
  return newest
}

const builtAt = (t) => {
  const out = join(root, t.outdir, "entry.cjs")
  return existsSync(out) ? statSync(out).mtimeMs : 0
}

/** Whether any target's output is older than the newest source. */
export const isStale = () => {
  const newest = newestSource()
  return targets.some((t) => builtAt(t) < newest)
}

/**
 * `import { Effect, Schema } from "effect"` as `import * as Effect from "effect/Effect"; …`.
 * esbuild assigns modules to chunks by which entries reach them through any import, and the
 * barrel re-exports all of effect: through it every chunk would reach effect's Schema, Stream and
 * the rest, and they would all land in the chunk every command loads. Named imports only (the
 * sources' only form; `type` ones are dropped, as TypeScript would); `pipe`, `flow` and the other
 * functions the barrel takes from `Function` come from "effect/Function".
 */
const EFFECT_FUNCTIONS = new Set(["absurd", "flow", "hole", "identity", "pipe", "unsafeCoerce"])
export const deepEffectImports = (source) =>
  source.replace(/^import \{([^}]*)\} from "effect"$/gm, (statement, names) => {
    const lines = []
    for (const raw of names.split(",")) {
      const spec = raw.trim()
      if (spec === "" || spec.startsWith("type ")) continue
      const [name, local = name] = spec.split(/\s+as\s+/)
      lines.push(
        EFFECT_FUNCTIONS.has(name)
          ? `import { ${name} as ${local} } from "effect/Function"`
          : `import * as ${local} from "effect/${name}"`
      )
    }
    return lines.length === 0 ? statement : lines.join("; ")
  })

/**
 * `import.meta.url` is empty in a CommonJS bundle. The sources use it to find files beside them
 * (the store's migrations, the web UI's built files): each occurrence in a workspace source
 * becomes that source file's own URL, computed from the bundle's folder at run time, so
 * `new URL("../drizzle", import.meta.url)` means in the bundle what it means in the source.
 */
const fileUrlOf = (outdir, path) => {
  const target = relative(join(root, outdir), path).split("\\").join("/")
  return `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(target)})).href`
}

/** The workspace's own sources (not node_modules), rewritten as the two notes above say. */
const WORKSPACE_SOURCE = /[\\/](apps|packages)[\\/][^\\/]+[\\/]src[\\/].*\.tsx?$/
const workspaceSources = (outdir, filter = WORKSPACE_SOURCE) => ({
  name: "workspace-sources",
  setup(build) {
    build.onLoad({ filter }, (args) => {
      if (args.path.includes("node_modules")) return undefined
      const source = readFileSync(args.path, "utf8")
      const contents = deepEffectImports(source).replaceAll("import.meta.url", fileUrlOf(outdir, args.path))
      return { contents, loader: args.path.endsWith(".tsx") ? "tsx" : "ts" }
    })
  }
})

/**
 * better-sqlite3's JavaScript goes into the bundle (compiled once, code-cached, instead of a dozen
 * files resolved and compiled at every start); only its native addon is loaded from
 * node_modules. better-sqlite3 finds the addon through the `bindings` package, which stats a
 * dozen candidate paths at run time: here `bindings` is replaced by a require of the addon's
 * own path, relative to the output folder (resolved now; the build reruns when the lockfile
 * changes). Without a built addon in the usual place the package stays external, as before.
 */
const nativeAddon = (outdir) => {
  let addonDir
  try {
    const pkg = createRequire(join(root, "package.json")).resolve("better-sqlite3/package.json")
    addonDir = join(dirname(pkg), "build", "Release")
  } catch {
    addonDir = undefined
  }
  const found = addonDir !== undefined && existsSync(join(addonDir, "better_sqlite3.node"))
  const target = found ? relative(join(root, outdir), addonDir).split("\\").join("/") : ""
  return {
    external: found ? [] : ["better-sqlite3"],
    plugin: {
      name: "native-addon",
      setup(build) {
        if (!found) return
        build.onResolve({ filter: /^bindings$/ }, (args) =>
          /[\\/]better-sqlite3[\\/]/.test(args.importer) ? { path: "bindings", namespace: "native-addon" } : undefined
        )
        build.onLoad({ filter: /.*/, namespace: "native-addon" }, () => ({
          contents: `module.exports = (name) => require(require("node:path").join(__dirname, ${JSON.stringify(target)}, name))`,
          loader: "js"
        }))
      }
    }
  }
}

/**
 * Splits like ESM, loads like CommonJS. esbuild splits only ESM output: the program is bundled as
 * ESM with `splitting`, so every `import()` (a command, a backend) starts its own chunk and a
 * module shared by several lands in a shared chunk; then each chunk is turned into CommonJS
 * (`import` → `require`, `import()` → a `require` in a promise) so the loader can run it with a
 * V8 code cache, which Node 20 only offers to scripts. The entry chunk is `entry.cjs`.
 */
const buildTarget = async (esbuild, t, temp) => {
  const addon = nativeAddon(t.outdir)
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { entry: t.entry },
    outdir: temp,
    outExtension: { ".js": ".cjs" },
    chunkNames: "chunk-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: addon.external,
    plugins: [workspaceSources(t.outdir), addon.plugin],
    minify: process.env.CRATOS_BUILD_MINIFY !== "0",
    legalComments: "none",
    metafile: true,
    write: false,
    logLevel: "warning"
  })
  for (const file of result.outputFiles) {
    const cjs = await esbuild.transform(file.text, {
      format: "cjs",
      platform: "node",
      target: "node20",
      supported: { "dynamic-import": false },
      minify: process.env.CRATOS_BUILD_MINIFY !== "0",
      legalComments: "none"
    })
    writeFileSync(file.path, cjs.code)
  }
  // The metafile (what each chunk holds, for `esbuild --analyze`-style questions and the tests),
  // its output names as they will be after the swap: <outdir>/<chunk>.
  const final = (file) => join(t.outdir, basename(file))
  const outputs = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([file, output]) => [
      final(file),
      { ...output, imports: output.imports.map((i) => (i.external ? i : { ...i, path: final(i.path) })) }
    ])
  )
  writeFileSync(join(temp, "meta.json"), JSON.stringify({ ...result.metafile, outputs }))
}

/** How long a chunk of an earlier build is kept for the processes started before it. */
const KEEP_EARLIER_CHUNKS_MS = 60 * 60 * 1000

/**
 * Moves a build from `temp` into `outdir` so that no process, started before or during it, finds
 * half of one: a process loads its chunks lazily, long after it started (a chat, `cratos serve`),
 * so the chunks of the build it started with stay (their names are content hashes: an unchanged
 * chunk keeps its name and its code cache) until they are an hour old and unused by this build.
 * The chunks land first and `entry.cjs` last, each by a rename.
 */
const install = (temp, outdir) => {
  mkdirSync(outdir, { recursive: true })
  const files = readdirSync(temp)
  const last = ["meta.json", "main.cjs", "entry.cjs"]
  for (const f of [...files.filter((f) => !last.includes(f)), ...last]) renameSync(join(temp, f), join(outdir, f))
  rmSync(temp, { recursive: true, force: true })
  const current = new Set(files)
  const now = Date.now()
  for (const f of readdirSync(outdir)) {
    const owner = f.replace(/\.v8(\.\d+\.tmp)?$/, "")
    if (current.has(owner)) continue
    const p = join(outdir, f)
    if (now - statSync(p).mtimeMs > KEEP_EARLIER_CHUNKS_MS) rmSync(p, { force: true })
  }
}

/** Builds every target (all, or nothing when `ifStale` and nothing is stale); true when it built. */
export const build = async ({ ifStale = false } = {}) => {
  if (ifStale && !isStale()) return false
  const esbuild = await import("esbuild")
  for (const t of targets) {
    const outdir = join(root, t.outdir)
    const temp = `${outdir}.${process.pid}.tmp`
    rmSync(temp, { recursive: true, force: true })
    mkdirSync(temp, { recursive: true })
    await buildTarget(esbuild, t, temp)
    copyFileSync(loader, join(temp, "main.cjs"))
    install(temp, outdir)
  }
  return true
}

/**
 * One script (a test's child process) bundled into one CommonJS file, `outfile`, with the
 * workspace's sources rewritten as for the bins: a child started from it is running in about a
 * tenth of the time `node --import tsx` takes to compile its imports (the fault suite starts
 * dozens). Written beside and renamed, so a process never loads half a file.
 */
export const bundleScript = async (entry, outfile) => {
  const esbuild = await import("esbuild")
  const outdir = relative(root, dirname(outfile))
  const addon = nativeAddon(outdir)
  mkdirSync(dirname(outfile), { recursive: true })
  const temp = `${outfile}.${process.pid}.tmp`
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: temp,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    external: addon.external,
    // the tests' own helpers find files beside them too: every TypeScript source of the repository
    plugins: [workspaceSources(outdir, /\.tsx?$/), addon.plugin],
    logLevel: "warning"
  })
  renameSync(temp, outfile)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes("--if-stale")
  const built = await build({ ifStale })
  if (built && ifStale) console.error("build: rebuilt the bins (sources were newer than dist/)")
}
