// The JavaScript a browser downloads, gzipped (level 9, as a server would send it): every .js in
// dist/, summed, printed, and checked against the budget of 300 kB. Exit 1 over budget.
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"

export const BUDGET = 300 * 1024
const dist = fileURLToPath(new URL("../dist", import.meta.url))

export const measure = (dir = dist) => {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile() && /\.(m?js|css)$/.test(f.name))
    .map((f) => {
      const bytes = readFileSync(join(f.parentPath, f.name))
      return {
        file: join(f.parentPath, f.name).slice(dir.length + 1),
        raw: bytes.length,
        gzip: gzipSync(bytes, { level: 9 }).length
      }
    })
  const js = files.filter((f) => !f.file.endsWith(".css"))
  return { files, jsGzip: js.reduce((s, f) => s + f.gzip, 0), jsRaw: js.reduce((s, f) => s + f.raw, 0) }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, jsGzip, jsRaw } = measure()
  for (const f of files)
    console.log(`  ${f.file}: ${(f.raw / 1024).toFixed(1)} kB, ${(f.gzip / 1024).toFixed(1)} kB gzipped`)
  const line = `web: JavaScript sent ${(jsGzip / 1024).toFixed(1)} kB gzipped (${(jsRaw / 1024).toFixed(1)} kB raw), budget ${BUDGET / 1024} kB`
  if (jsGzip > BUDGET) {
    console.error(`${line}: OVER BUDGET`)
    process.exit(1)
  }
  console.log(line)
}
