// Keeps apps/web/dist current for `npm start` / `npm test`: builds the UI (vite build + the size
// check) when dist/index.html is missing or older than any source it is built from. Quiet when
// there is nothing to do.
import { execFileSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const web = fileURLToPath(new URL("..", import.meta.url))
const root = join(web, "..", "..")
const built = join(web, "dist", "index.html")

const newest = (path) => {
  if (!existsSync(path)) return 0
  const s = statSync(path)
  if (!s.isDirectory()) return s.mtimeMs
  return readdirSync(path, { withFileTypes: true })
    .filter((e) => e.name !== "node_modules" && !e.name.endsWith(".test.ts"))
    .reduce((m, e) => Math.max(m, newest(join(path, e.name))), 0)
}

const sources = [
  join(web, "src"),
  join(web, "index.html"),
  join(web, "vite.config.ts"),
  join(web, "package.json"),
  join(root, "packages", "domain", "src"),
  join(root, "packages", "http", "src"),
  join(root, "apps", "agent", "src", "cli", "Timeline.ts"),
  join(root, "pnpm-lock.yaml")
]

if (!existsSync(built) || sources.some((s) => newest(s) > statSync(built).mtimeMs)) {
  console.error("web: building apps/web/dist")
  execFileSync("pnpm", ["--silent", "--filter", "@cratos/web", "build"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"]
  })
}
