/**
 * `cratos` with no command: the chat session.
 *
 * On a terminal: each message is an execution (progress while its tools run, approval prompts
 * inline), and these work inside it: `/history`, `/show [id|last]`, `/replay <id> [view|dry-run|rerun]`,
 * `/help`, `/quit`. Any other word starting with `/` is a mistyped session command: it is answered
 * (with the closest command) and not recorded as an execution. A failure inside the session is
 * reported on one line and the session goes on. On a terminal the session starts by saying which
 * workspace and which database it uses.
 *
 * Without a terminal (stdin is a pipe): each line of stdin is run the same way, no prompt, no
 * greeting; `--json` prints one `{execution_id, status, response}` line per message. The exit
 * code is 0 when every execution completed, 1 otherwise.
 */
import { Args } from "@cratos/cli-kit"
import { ReadModel } from "@cratos/projector"
import { StorageLocation } from "@cratos/store"
import { Cause, Effect, Option } from "effect"
import type { InvocationOf } from "../Commands.js"
import { type CratosFailure, describeCause, ExitCode } from "../errors.js"
import { defaultUser, execute, printResult, resolveWorkspace } from "../RunExecution.js"
import { catchUpReadModel } from "../ReadYourWrites.js"
import { Output } from "../Output.js"
import { Terminal } from "../Terminal.js"
import { listTable } from "./list.js"
import { replay } from "./replay.js"
import { printTimeline } from "./show.js"

export const CHAT_HELP = [
  "Type a request and press Enter; each one is recorded as an execution. For example:",
  "  read notes.txt        list        search TODO in src        write notes.md: hello",
  "Session commands:",
  "  /history               your last executions",
  "  /show [id|last]        the timeline of an execution (default: the last one)",
  "  /replay <id> [view|dry-run|rerun]",
  "  /help                  this help",
  "  /quit                  leave (also Ctrl-D)"
].join("\n")

type ChatCommand =
  | { readonly _tag: "Quit" }
  | { readonly _tag: "Help" }
  | { readonly _tag: "History" }
  | { readonly _tag: "Show"; readonly ref: string | undefined }
  | { readonly _tag: "Replay"; readonly ref: string | undefined; readonly mode: string | undefined }
  | { readonly _tag: "Message"; readonly text: string }
  | { readonly _tag: "Unknown"; readonly word: string; readonly suggestion: string | undefined }
  | { readonly _tag: "Empty" }

const SESSION_COMMANDS = ["/quit", "/exit", "/help", "/history", "/show", "/replay"] as const

/** What a line typed in the session asks for. */
export const parseChatLine = (line: string): ChatCommand => {
  const text = line.trim()
  if (text === "") return { _tag: "Empty" }
  const [head, ...rest] = text.split(/\s+/)
  switch (head) {
    case "/quit":
    case "/exit":
      return { _tag: "Quit" }
    case "/help":
    case "/?":
      return { _tag: "Help" }
    case "/history":
      return { _tag: "History" }
    case "/show":
      return { _tag: "Show", ref: rest[0] }
    case "/replay":
      return { _tag: "Replay", ref: rest[0], mode: rest[1] }
    default:
      return head!.startsWith("/") && head!.length > 1
        ? { _tag: "Unknown", word: head!, suggestion: Args.suggest(head!, SESSION_COMMANDS) }
        : { _tag: "Message", text }
  }
}

export const chat = (inv: InvocationOf<"chat">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const terminal = yield* Terminal
    const f = inv.flags
    const interactive = terminal.interactive
    const user = defaultUser(f.user)
    let last: string | undefined
    let failures = 0

    /** Reports a failure of one step of the session and goes on. */
    const survive = <A, R>(effect: Effect.Effect<A, CratosFailure, R>) =>
      effect.pipe(
        Effect.catchAllCause((cause) =>
          Cause.isInterruptedOnly(cause)
            ? Effect.failCause(cause)
            : Effect.gen(function* () {
                failures++
                const report = describeCause(cause, f.verbose)
                yield* out.error(`cratos: ${report.line}`)
              })
        )
      )

    if (interactive) {
      const workspace = yield* resolveWorkspace(f.workspace)
      const { location } = yield* StorageLocation
      yield* out.error(`Cratos: type a request, /help for commands, /quit to leave.`)
      yield* out.error(`workspace ${workspace}, database ${location}`)
    }
    while (true) {
      const line = yield* terminal.readLine("you> ")
      if (Option.isNone(line)) break
      const command = parseChatLine(line.value)
      if (command._tag === "Quit") break
      switch (command._tag) {
        case "Empty":
          break
        case "Help":
          yield* out.line(CHAT_HELP)
          break
        case "Unknown":
          yield* out.error(
            `unknown session command ${command.word}` +
              `${command.suggestion === undefined ? "" : ` (did you mean ${command.suggestion}?)`}; /help lists them; nothing was run`
          )
          break
        case "History":
          yield* survive(
            Effect.gen(function* () {
              yield* catchUpReadModel
              const rows = yield* (yield* ReadModel).list({ user, limit: 10 })
              if (rows.length === 0) yield* out.line("(no executions yet)")
              else for (const l of listTable(rows)) yield* out.line(l)
            })
          )
          break
        case "Show":
          yield* survive(printTimeline(command.ref ?? last ?? "last", { json: false }))
          break
        case "Replay": {
          const ref = command.ref ?? last
          const mode = command.mode ?? "view"
          if (ref === undefined || !["view", "dry-run", "rerun"].includes(mode)) {
            yield* out.error("usage: /replay <id|last> [view|dry-run|rerun]")
            break
          }
          yield* survive(
            replay({
              command: "replay",
              args: ref,
              flags: { ...f, mode: mode as "view" | "dry-run" | "rerun" }
            })
          )
          break
        }
        case "Message":
          yield* survive(
            Effect.gen(function* () {
              const result = yield* execute({ text: command.text, flags: f, progress: interactive && !f.json })
              last = result.executionId
              if (result.status !== "completed") failures++
              yield* printResult(result, f.json)
            })
          )
          break
      }
    }
    return failures === 0 ? ExitCode.Ok : ExitCode.Failure
  })
