/**
 * File modes through the real `cratos` process (issue #7): with CRATOS_HOME pointing at a fresh
 * folder that does not exist yet and the umask at 000, the folder Cratos creates is 0700 and the
 * database (and its -wal/-shm) 0600; run again on a database someone made readable by others,
 * the CLI warns on stderr, naming the file. (The store's own cases: fileModes.test.ts.)
 */
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))
const BIN = path.join(ROOT, "apps/agent/bin/cratos.mjs")

const root = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-climodes-"))
process.on("exit", () => fs.rmSync(root, { recursive: true, force: true }))

/** `cratos args…` with umask 000 (through sh) and CRATOS_HOME set, no CRATOS_DB. */
const cratos = (home: string, args: ReadonlyArray<string>, cwd: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CRATOS_HOME: home, USER: "tester" }
    delete env["CRATOS_DB"]
    const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ")
    const child = spawn("/bin/sh", ["-c", `umask 000; exec ${quoted}`], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

const mode = (p: string) => (fs.statSync(p).mode & 0o777).toString(8).padStart(3, "0")

describe("file modes through the CLI", () => {
  it("CRATOS_HOME fresh, umask 000: folder 0700, database 0600; an existing 0644 database gets a warning on stderr", async () => {
    const fresh = path.join(root, "a", "cratos-home")
    const existing = path.join(root, "b")
    fs.mkdirSync(existing, { mode: 0o755 })
    const workspace = path.join(root, "ws")
    fs.mkdirSync(workspace)
    fs.writeFileSync(path.join(workspace, "notes.txt"), "hi\n")
    const seedRun = cratos(existing, ["run", "read notes.txt", "--workspace", workspace, "--json"], workspace)
    const created = await cratos(fresh, ["run", "read notes.txt", "--workspace", workspace, "--json"], workspace)
    expect(created.code, created.stderr).toBe(0)
    expect(created.stderr).toBe("")
    const file = path.join(fresh, "cratos.db")
    expect(mode(fresh)).toBe("700")
    expect(mode(path.dirname(fresh))).toBe("700")
    expect(mode(file)).toBe("600")
    for (const extra of ["-wal", "-shm"]) if (fs.existsSync(file + extra)) expect(mode(file + extra)).toBe("600")

    const seeded = await seedRun
    expect(seeded.code, seeded.stderr).toBe(0)
    const shared = path.join(existing, "cratos.db")
    fs.chmodSync(shared, 0o644)
    const warned = await cratos(existing, ["list", "--json"], workspace)
    expect(warned.code, warned.stderr).toBe(0)
    expect(warned.stderr).toMatch(
      /^cratos: warning: .*cratos\.db is accessible by group or others \(mode 644\).*chmod 600/m
    )
    expect(warned.stderr).toContain(shared)
    expect(JSON.parse(warned.stdout)).toHaveLength(1)
    console.log(
      `file modes (CLI): CRATOS_HOME created ${mode(fresh)}, database ${mode(file)} under umask 000; ` +
        `warning captured for an existing 644 database: ${warned.stderr.trim().split("\n")[0]}`
    )
  }, 60_000)
})
