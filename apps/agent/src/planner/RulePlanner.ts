/**
 * The built-in rule planner: a small, documented set of requests, parsed without a model.
 *
 *   read|cat|show <path> [and <path>…]      file_read, one step per path
 *   list|ls [<dir>]                         file_list (default: the workspace)
 *   search|grep <text> [in <dir>]           file_search (case-sensitive)
 *   write <path>: <content>                 file_write (content: the rest of the text)
 *   write "<content>" to <path>             file_write
 *   fetch|get <url>                         http_get (http and https only)
 *   run|exec <command>  /  $ <command>      exec (the command: the rest of the text)
 *   help                                    this list
 *
 * Requests combine: `A and B` (or `A, B`) are independent steps that run side by side;
 * `A then B` (or `A; B`) runs B after A. `write <path>: …` and `run …` take the rest of the
 * text, so they come last. Paths and texts with spaces, `and`, `then`, `,` or `;` can be
 * quoted ("…" or '…'). A leading `/` is ignored (`/read x`). Anything else gives an empty plan
 * whose reply lists these requests.
 */
import {
  type ApprovalPolicy,
  defaultApprovalPolicy,
  defaultToolRisks,
  makePlan,
  type PlanStep,
  type ToolRiskRegistry
} from "@cratos/domain"
import { Effect, Either } from "effect"
import { PlannerError } from "./PlannerError.js"
import type { PlannerShape } from "./PlannerShape.js"
import type { PlanResult } from "./PlanResult.js"

/** The requests the rule planner understands, as shown to the person. */
export const HELP = [
  "I understand these requests:",
  "  read <path>  (also cat, show; several: read a.txt and b.txt)",
  "  list [<folder>]  (also ls)",
  "  search <text> [in <folder>]  (also grep)",
  '  write <path>: <content>   or   write "<content>" to <path>',
  "  fetch <url>  (also get; http and https only)",
  "  run <command>  (also exec, or $ <command>)",
  'Combine them with "and" (side by side) or "then" (one after the other),',
  "e.g. read README.md and list src, or write notes.md: hi then read notes.md.",
  "Quote paths or texts that contain spaces or those words."
].join("\n")

type Kind = "read" | "list" | "search" | "write" | "fetch" | "run"

const VERBS: Record<string, Kind> = {
  read: "read",
  cat: "read",
  show: "read",
  list: "list",
  ls: "list",
  search: "search",
  grep: "search",
  write: "write",
  fetch: "fetch",
  get: "fetch",
  run: "run",
  exec: "run",
  $: "run"
}

/** Kinds whose next argument may follow `and` without repeating the verb. */
const REPEATABLE: ReadonlySet<Kind> = new Set(["read", "list", "fetch"])

type Step = Omit<PlanStep, "depends_on">

const THEN = /^(?:\s*,)?\s+then\s+|^\s*;\s*/i
const AND = /^\s+and\s+|^\s*,\s*/i
/** Where an unquoted argument ends: before a separator, or at the end. */
const ARG_END = /(?:\s*,)?\s+then\s+|\s*;\s*|\s+and\s+|\s*,\s*|\s*$/i

class Unknown extends Error {}

/** A cursor over the text. */
class Cursor {
  constructor(
    readonly text: string,
    public at = 0
  ) {}
  get rest() {
    return this.text.slice(this.at)
  }
  done() {
    return this.rest.trim().length === 0
  }
  eat(re: RegExp): RegExpExecArray | null {
    const m = re.exec(this.rest)
    if (m !== null) this.at += m[0].length
    return m
  }
  /** A quoted string ("…" or '…'), or text up to the next separator. */
  arg(end: RegExp = ARG_END): string {
    // A separator right after the verb: no argument (`list then read x` lists the workspace).
    if (THEN.test(this.rest) || AND.test(this.rest)) return ""
    this.eat(/^\s+/)
    const quoted = this.eat(/^"([^"]*)"|^'([^']*)'/)
    if (quoted !== null) return quoted[1] ?? quoted[2] ?? ""
    const rest = this.rest
    const m = end.exec(rest)
    const value = (m === null ? rest : rest.slice(0, m.index)).trim()
    this.at += m === null ? rest.length : m.index
    return value
  }
  /** The rest of the text (a command or content), trimmed at the start by one space. */
  remainder(): string {
    const value = this.rest.replace(/^ /, "")
    this.at = this.text.length
    return value
  }
}

const verbAt = (c: Cursor): Kind | undefined => {
  const m = /^\s*(\$|[A-Za-z]+)(?=\s|$|[,;])/.exec(c.rest)
  if (m === null) return undefined
  const kind = VERBS[m[1]!.toLowerCase()]
  if (kind !== undefined) c.at += m[0].length
  return kind
}

const where = (dir: string) => (dir === "." ? "the workspace" : dir)

const parseStep = (kind: Kind, c: Cursor): Step => {
  switch (kind) {
    case "read": {
      const path = c.arg()
      if (path === "") throw new Unknown()
      return { description: `Read ${path}`, tool: "file_read", input: { path } }
    }
    case "list": {
      const path = c.arg() || "."
      return { description: `List ${where(path)}`, tool: "file_list", input: { path } }
    }
    case "search": {
      const query = c.arg(/(?:\s*,)?\s+then\s+|\s*;\s*|\s+and\s+|\s+in\s+|\s*$/i)
      if (query === "") throw new Unknown()
      const path = c.eat(/^\s+in\s+/i) !== null ? c.arg() : "."
      if (path === "") throw new Unknown()
      return {
        description: `Search for ${JSON.stringify(query)} in ${where(path)}`,
        tool: "file_search",
        input: { query, path }
      }
    }
    case "write": {
      c.eat(/^\s+/)
      const quoted = c.eat(/^"([^"]*)"\s+to\s+|^'([^']*)'\s+to\s+/i)
      if (quoted !== null) {
        const content = quoted[1] ?? quoted[2] ?? ""
        const path = c.arg()
        if (path === "") throw new Unknown()
        return { description: `Write ${path}`, tool: "file_write", input: { path, content } }
      }
      const path = c.arg(/\s*:/)
      if (path === "" || c.eat(/^\s*:/) === null) throw new Unknown()
      const content = c.remainder()
      return { description: `Write ${path}`, tool: "file_write", input: { path, content } }
    }
    case "fetch": {
      const url = c.arg()
      if (url === "" || /\s/.test(url)) throw new Unknown()
      return { description: `GET ${url}`, tool: "http_get", input: { url } }
    }
    case "run": {
      const command = c.remainder().trim()
      if (command === "") throw new Unknown()
      return { description: "Run a shell command", tool: "exec", input: { command } }
    }
  }
}

/** The steps of a request, grouped: each group runs after the one before it. */
export const parseRequest = (text: string): ReadonlyArray<ReadonlyArray<Step>> | undefined => {
  const c = new Cursor(text.trim().replace(/^\//, ""))
  const groups: Array<Array<Step>> = [[]]
  try {
    let kind = verbAt(c)
    if (kind === undefined) return undefined
    for (;;) {
      groups[groups.length - 1]!.push(parseStep(kind, c))
      if (c.done()) break
      if (c.eat(THEN) !== null) {
        groups.push([])
        kind = verbAt(c)
        if (kind === undefined) return undefined
      } else if (c.eat(AND) !== null) {
        const next = verbAt(c)
        if (next !== undefined) kind = next
        else if (!REPEATABLE.has(kind)) return undefined
      } else return undefined
    }
  } catch (e) {
    if (e instanceof Unknown) return undefined
    throw e
  }
  return groups
}

/** Steps with `depends_on`: each step depends on every step of the group before its own. */
const withDependencies = (groups: ReadonlyArray<ReadonlyArray<Step>>): Array<PlanStep> => {
  const steps: Array<PlanStep> = []
  let previous: Array<number> = []
  for (const group of groups) {
    const current: Array<number> = []
    for (const step of group) {
      current.push(steps.length)
      steps.push({ ...step, depends_on: previous })
    }
    previous = current
  }
  return steps
}

export interface RulePlannerOptions {
  readonly risks?: ToolRiskRegistry
  readonly policy?: ApprovalPolicy
}

/** Plans a text with the rules; an unknown request is an empty plan whose reply is {@link HELP}. */
export const planText = (text: string, options: RulePlannerOptions = {}): Either.Either<PlanResult, PlannerError> => {
  const goal = text.trim()
  const isHelp = goal === "" || /^\/?(help|\?)$/i.test(goal)
  const groups = isHelp ? undefined : parseRequest(goal)
  const steps = groups === undefined ? [] : withDependencies(groups)
  return Either.match(
    makePlan({ goal, steps }, options.risks ?? defaultToolRisks, options.policy ?? defaultApprovalPolicy),
    {
      onLeft: (e) =>
        Either.left(
          new PlannerError({ errorType: "Internal", reason: `rule planner built an invalid plan: ${e.message}` })
        ),
      onRight: (plan) =>
        Either.right<PlanResult>({
          plan,
          model_used: "rules",
          tokens_used: 0,
          ...(steps.length === 0
            ? { reply: isHelp ? HELP : `I did not understand ${JSON.stringify(goal)}.\n${HELP}` }
            : {})
        })
    }
  )
}

export const make = (options: RulePlannerOptions = {}): PlannerShape => ({
  plan: (text) => Effect.withSpan(planText(text, options), "RulePlanner.plan")
})
