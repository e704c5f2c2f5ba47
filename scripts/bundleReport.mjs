// What each part of a built bin loads, from esbuild's metafile (scripts/build.mjs writes
// <app>/dist/meta.json): the chunks the entry loads at start-up, then for every `import()` the
// entry's code can reach, what that import loads on top, by package, in kB of minified output.
//   node scripts/bundleReport.mjs [apps/agent/dist/meta.json]
import { readFileSync } from "node:fs"

const meta = JSON.parse(readFileSync(process.argv[2] ?? "apps/agent/dist/meta.json", "utf8"))
const outputs = new Map(Object.entries(meta.outputs))
const entry = [...outputs.keys()].find((file) => file.endsWith("/entry.cjs"))

/** The chunk and every chunk it requires at once (not through `import()`). */
const staticClosure = (chunks) => {
  const seen = new Set()
  const stack = [...chunks]
  while (stack.length > 0) {
    const chunk = stack.pop()
    if (seen.has(chunk)) continue
    seen.add(chunk)
    for (const i of outputs.get(chunk).imports) if (i.kind === "import-statement" && !i.external) stack.push(i.path)
  }
  return seen
}

const packageOf = (input) => {
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(input)
  if (dep !== null) return dep[1]
  const own = /^(apps|packages)\/([^/]+)/.exec(input)
  return own === null ? input : `${own[1]}/${own[2]}`
}

const describe = (chunks) => {
  const byPackage = new Map()
  let total = 0
  for (const chunk of chunks) {
    for (const [input, { bytesInOutput }] of Object.entries(outputs.get(chunk).inputs)) {
      byPackage.set(packageOf(input), (byPackage.get(packageOf(input)) ?? 0) + bytesInOutput)
      total += bytesInOutput
    }
  }
  const kb = (n) => `${Math.round(n / 1024)}`
  const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 10)
  return `${chunks.size} chunks, ${kb(total)} kB (${top.map(([p, n]) => `${p} ${kb(n)}`).join(", ")})`
}

const atStart = staticClosure([entry])
console.log(`start-up (every command): ${describe(atStart)}`)
const dynamic = new Map()
const visit = (chunks) => {
  for (const chunk of chunks) {
    for (const i of outputs.get(chunk).imports) {
      if (i.kind !== "dynamic-import" || dynamic.has(i.path)) continue
      dynamic.set(i.path, outputs.get(i.path).entryPoint ?? i.path)
      visit(staticClosure([i.path]))
    }
  }
}
visit(atStart)
for (const [chunk, source] of dynamic) {
  const extra = new Set([...staticClosure([chunk])].filter((c) => !atStart.has(c)))
  console.log(`  + import("${source}"): ${describe(extra)}`)
}
