// Makes a fresh clone runnable with only Node 20 and npm: installs pnpm (pinned) when it is
// missing and runs the workspace install when node_modules is missing or stale. Idempotent and
// quiet when there is nothing to do, so `npm start` / `npm test` can call it every time.
import { execSync } from "node:child_process"
import { existsSync, readFileSync, statSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const PNPM = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager.split("@")[1]
const run = (cmd, env = {}) =>
  execSync(cmd, { cwd: root, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, ...env } })

const pnpmVersion = () => {
  try {
    return execSync("pnpm --version", { stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim()
  } catch {
    return undefined
  }
}

if (pnpmVersion() !== PNPM) {
  console.error(`bootstrap: installing pnpm@${PNPM} (npm i -g)`)
  run(`npm i -g pnpm@${PNPM}`)
}

const marker = join(root, "node_modules", ".modules.yaml")
const lock = join(root, "pnpm-lock.yaml")
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs)
if (stale) {
  console.error("bootstrap: pnpm install")
  // better-sqlite3 builds from source here and needs Node's headers from /usr.
  run(`pnpm install ${existsSync(lock) ? "--frozen-lockfile" : ""}`, { npm_config_nodedir: "/usr" })
}

// The bins run built JavaScript (scripts/build.mjs): rebuild it when a source is newer.
const { build } = await import("./build.mjs")
if (await build({ ifStale: true })) console.error("bootstrap: built the bins (pnpm build)")
