/**
 * Starting child processes together: each child says "ready" on stdout once loaded and waits
 * for a go-file; the parent creates it when every child is ready. Loading tsx takes seconds on
 * a busy machine, so a fixed start time would not line them up.
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { repoRoot } from "./helpers.js"

/** In the child: announce readiness, then wait for the go-file. */
export const awaitGo = async (goFile: string): Promise<void> => {
  process.stdout.write("ready\n")
  while (!fs.existsSync(goFile)) await new Promise((r) => setTimeout(r, 2))
}

export interface ChildResult {
  readonly code: number | null
  /** stdout after the "ready" line. */
  readonly out: string
  readonly err: string
}

/** In the parent: runs `node --import tsx <script> ...args` in each of `argss`, released together. */
export const runTogether = async (
  script: string,
  argss: ReadonlyArray<ReadonlyArray<string>>,
  goFile: string
): Promise<ReadonlyArray<ChildResult>> => {
  let ready = 0
  let release: () => void = () => {}
  const allReady = new Promise<void>((r) => (release = r))
  const runs = argss.map(
    (args) =>
      new Promise<ChildResult>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, script), ...args], {
          cwd: repoRoot,
          stdio: ["ignore", "pipe", "pipe"]
        })
        let out = ""
        let err = ""
        let announced = false
        child.stdout.on("data", (d) => {
          out += d
          if (!announced && out.includes("ready\n")) {
            announced = true
            out = out.slice(out.indexOf("ready\n") + 6)
            if (++ready === argss.length) release()
          }
        })
        child.stderr.on("data", (d) => (err += d))
        child.on("error", reject)
        child.on("close", (code) => {
          if (!announced && ++ready === argss.length) release()
          resolve({ code, out, err })
        })
      })
  )
  await allReady
  fs.writeFileSync(goFile, "")
  return Promise.all(runs)
}
