// Builds an unminified esbuild bundle of the server alone (apps/server/src/main.ts) for
// `pnpm bench:http --serve-entry/--baseline-entry` and readable `--cpu-prof` profiles (function
// names and the bundle's `// path/file.ts` markers instead of tsx's one-line modules):
//
//   node bench/serveBundle.mjs node_modules/.cache/httpprof/after.cjs
//   git stash; node bench/serveBundle.mjs node_modules/.cache/httpprof/base.cjs; git stash pop
//
// The output must lie inside the repository (better-sqlite3 stays external and is resolved from
// it). Each source's `import.meta.url` becomes its own file URL, as in scripts/build.mjs.
import { readFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const out = resolve(process.argv[2] ?? join(root, "node_modules/.cache/httpprof/serve.cjs"))
const esbuild = await import("esbuild")
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ["apps/server/src/main.ts"],
  outfile: out,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["better-sqlite3"],
  plugins: [
    {
      name: "source-file-urls",
      setup(build) {
        build.onLoad({ filter: /[\\/](apps|packages)[\\/][^\\/]+[\\/]src[\\/].*\.ts$/ }, (args) => {
          if (args.path.includes("node_modules")) return undefined
          const source = readFileSync(args.path, "utf8")
          if (!source.includes("import.meta.url")) return undefined
          const url = `require("node:url").pathToFileURL(${JSON.stringify(args.path)}).href`
          return { contents: source.replaceAll("import.meta.url", url), loader: "ts" }
        })
      }
    }
  ],
  logLevel: "warning"
})
console.error(`built ${out}`)
