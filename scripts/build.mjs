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
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs"
import { dirname, join, relative } from "node:path"
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
  const out = join(root, t.outdir, "bundle.cjs")
  return existsSync(out) ? statSync(out).mtimeMs : 0
}

/** Whether any target's output is older than the newest source. */
export const isStale = () => {
  const newest = newestSource()
  return targets.some((t) => builtAt(t) < newest)
}

/**
 * `import.meta.url` is empty in a CommonJS bundle. The sources use it to find files beside them
 * (the store's migrations, the web UI's built files): each occurrence in a workspace source
 * becomes that source file's own URL, computed from the bundle's folder at run time, so
 * `new URL("../drizzle", import.meta.url)` means in the bundle what it means in the source.
 */
const sourceFileUrls = (outdir) => ({
  name: "source-file-urls",
  setup(build) {
    build.onLoad({ filter: /[\\/](apps|packages)[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
      if (args.path.includes("node_modules")) return undefined
      const source = readFileSync(args.path, "utf8")
      if (!source.includes("import.meta.url")) return undefined
      const target = relative(join(root, outdir), args.path).split("\\").join("/")
      const url = `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${JSON.stringify(target)})).href`
      return { contents: source.replaceAll("import.meta.url", url), loader: "ts" }
    })
  }
})

/** Builds every target (all, or nothing when `ifStale` and nothing is stale); true when it built. */
export const build = async ({ ifStale = false } = {}) => {
  if (ifStale && !isStale()) return false
  const esbuild = await import("esbuild")
  for (const t of targets) {
    // Built beside the output and swapped in, so a bin started meanwhile (a test run, another
    // shell) finds the old build or the new one, never half of one.
    const outdir = join(root, t.outdir)
    const temp = `${outdir}.${process.pid}.tmp`
    rmSync(temp, { recursive: true, force: true })
    mkdirSync(temp, { recursive: true })
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: [t.entry],
      outfile: join(temp, "bundle.cjs"),
      bundle: true,
      format: "cjs",
      platform: "node",
      target: "node20",
      external: ["better-sqlite3"],
      plugins: [sourceFileUrls(t.outdir)],
      minify: true,
      legalComments: "none",
      logLevel: "warning"
    })
    copyFileSync(loader, join(temp, "main.cjs"))
    rmSync(outdir, { recursive: true, force: true })
    renameSync(temp, outdir)
  }
  return true
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ifStale = process.argv.includes("--if-stale")
  const built = await build({ ifStale })
  if (built && ifStale) console.error("build: rebuilt the bins (sources were newer than dist/)")
}
