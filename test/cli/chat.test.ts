/**
 * The interactive session on a real pseudo-terminal (tmux): one message, one approval answered
 * inline, /show, /quit. Skipped, saying why, where tmux is not installed.
 */
import { afterAll, describe, expect, it, vi } from "@effect/vitest"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { BIN, cratos, ROOT, tempDir } from "./harness.js"

vi.setConfig({ testTimeout: 180_000 })

const hasTmux = spawnSync("tmux", ["-V"], { stdio: "ignore" }).status === 0
const session = `cratos-test-${process.pid}`

const tmux = (...args: ReadonlyArray<string>) => execFileSync("tmux", args, { encoding: "utf8" })
const screen = (name: string) => tmux("capture-pane", "-p", "-J", "-t", name, "-S", "-200")

const waitFor = async (pattern: RegExp, timeoutMs = 90_000, name = session): Promise<string> => {
  const start = Date.now()
  for (;;) {
    const text = screen(name)
    if (pattern.test(text)) return text
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}; screen:\n${text}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/** A database path, a workspace holding notes.txt, and the file the exit code is written to. */
const sessionFiles = () => {
  const dir = tempDir()
  const ws = path.join(dir, "ws")
  fs.mkdirSync(ws)
  fs.writeFileSync(path.join(ws, "notes.txt"), "remember the milk\n")
  return { db: path.join(dir, "cratos.db"), ws, exitFile: path.join(dir, "exit-code") }
}

afterAll(() => {
  if (hasTmux) spawnSync("tmux", ["kill-session", "-t", session], { stdio: "ignore" })
})

describe("cratos chat on a terminal", () => {
  it.skipIf(!hasTmux)(
    hasTmux
      ? "runs a message, asks for an approval inline, shows, quits"
      : "SKIPPED: tmux is not installed (apt-get install -y tmux)",
    async () => {
      const { db, ws, exitFile } = sessionFiles()
      const command =
        `cd ${quote(ROOT)} && CRATOS_DB=${quote(db)} USER=tty-user ${quote(process.execPath)} ${quote(BIN)} --workspace ${quote(ws)}; ` +
        `echo $? > ${quote(exitFile)}; sleep 30`
      tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command)

      await waitFor(/you> $/m)
      tmux("send-keys", "-t", session, "read notes.txt", "Enter")
      await waitFor(/remember the milk\n\(execution [0-9a-f-]{36}: completed\)\nyou> $/m)

      tmux("send-keys", "-t", session, "write chat.txt: from the terminal", "Enter")
      const asked = await waitFor(/Approve\? \[y\/N\] $/m)
      expect(asked).toContain("approval needed: step 1 file_write (Write risk)")
      expect(asked).toContain('input: {"path":"chat.txt","content":"from the terminal"}')
      expect(fs.existsSync(path.join(ws, "chat.txt"))).toBe(false)
      tmux("send-keys", "-t", session, "y", "Enter")
      await waitFor(/Created chat\.txt.*\n\(execution [0-9a-f-]{36}: completed\)\nyou> $/m)
      expect(fs.readFileSync(path.join(ws, "chat.txt"), "utf8")).toBe("from the terminal")

      tmux("send-keys", "-t", session, "/show last", "Enter")
      await waitFor(/✅ approved[\s\S]*💬 response via cli: Created chat\.txt[^\n]*\nyou> $/m)
      tmux("send-keys", "-t", session, "/quit", "Enter")
      const start = Date.now()
      while (!fs.existsSync(exitFile) && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 100))
      expect(fs.readFileSync(exitFile, "utf8").trim()).toBe("0")

      const list = JSON.parse((await cratos(["list", "--json"], { db })).stdout)
      expect(list.map((r: any) => [r.user_id, r.input_text, r.status])).toEqual([
        ["tty-user", "write chat.txt: from the terminal", "completed"],
        ["tty-user", "read notes.txt", "completed"]
      ])
    }
  )

  it.skipIf(!hasTmux)(
    hasTmux
      ? "says its workspace and database; Ctrl-C at an approval declines the step and the session goes on; a mistyped /command is not recorded"
      : "SKIPPED: tmux is not installed (apt-get install -y tmux)",
    async () => {
      const { db, ws, exitFile } = sessionFiles()
      const name = `${session}-2`
      const command =
        `cd ${quote(ROOT)} && CRATOS_DB=${quote(db)} ${quote(process.execPath)} ${quote(BIN)} --workspace ${quote(ws)}; ` +
        `echo $? > ${quote(exitFile)}; sleep 30`
      tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", command)
      const waitOn = (pattern: RegExp) => waitFor(pattern, 90_000, name)
      try {
        const greeting = await waitOn(/you> $/m)
        expect(greeting).toContain(`workspace ${ws}, database ${db}`)

        tmux("send-keys", "-t", name, "/hsitory", "Enter")
        await waitOn(
          /unknown session command \/hsitory \(did you mean \/history\?\); \/help lists them; nothing was run\nyou> $/m
        )

        tmux("send-keys", "-t", name, "write chat.txt: never", "Enter")
        await waitOn(/Approve\? \[y\/N\] $/m)
        tmux("send-keys", "-t", name, "C-c")
        await waitOn(/not run: approval was declined[\s\S]*\(execution [0-9a-f-]{36}: completed\)\nyou> $/m)
        expect(fs.existsSync(path.join(ws, "chat.txt"))).toBe(false)

        tmux("send-keys", "-t", name, "read notes.txt", "Enter")
        await waitOn(/remember the milk\n\(execution [0-9a-f-]{36}: completed\)\nyou> $/m)
        tmux("send-keys", "-t", name, "/quit", "Enter")
        const start = Date.now()
        while (!fs.existsSync(exitFile) && Date.now() - start < 30_000) await new Promise((r) => setTimeout(r, 100))
        expect(fs.readFileSync(exitFile, "utf8").trim()).toBe("0")
        const list = JSON.parse((await cratos(["list", "--json"], { db })).stdout)
        expect(list.map((r: any) => r.input_text)).toEqual(["read notes.txt", "write chat.txt: never"])
      } finally {
        spawnSync("tmux", ["kill-session", "-t", name], { stdio: "ignore" })
      }
    }
  )
})
