/**
 * Every `cratos` command's flags and positionals, and the parse of a whole command line into one
 * of them. Declarations only: the implementations live in `commands/`, and are loaded after the
 * line parsed, so a usage error costs no database and no agent.
 */
import { Either } from "effect"
import { Args } from "@cratos/cli-kit"
import { parseTimeArg } from "./TimeArg.js"

/**
 * The domain's `ExecutionStatus` and `Channel` literals, written out: importing the domain here
 * would load effect's Schema (and fast-check) before every `--help`. Commands.test.ts fails when
 * these and the domain's differ.
 */
export const STATUSES = ["pending", "running", "completed", "failed"] as const
export const CHANNELS = [
  "telegram",
  "slack",
  "discord",
  "whatsapp",
  "twitter",
  "matrix",
  "voice",
  "cli",
  "api"
] as const

/** Accepted by every command. */
const common = {
  db: Args.text("db", "PATH", "database file (default: $CRATOS_DB, $CRATOS_HOME/cratos.db, ~/.cratos/cratos.db)"),
  json: Args.boolean("json", "machine-readable output (JSON, snake_case fields)"),
  verbose: Args.boolean("verbose", "show stack traces of internal errors"),
  help: Args.boolean("help", "show this help"),
  version: Args.boolean("version", "print the version and exit"),
  server: Args.text("server", "URL", "list, show, stats, export: read through a `cratos serve` API, not the database"),
  token: Args.text("token", "TOKEN", "the API token for --server (default: $CRATOS_TOKEN)")
}

/** Commands that record content: whether it is sealed at rest (issue 14). */
const sealing = {
  encryption: Args.choice(
    "encryption",
    ["on", "off"],
    "encrypt raw content at rest (default on; $CRATOS_ENCRYPTION=off too). off stores raw values in the clear"
  )
}

/** How an execution is run (chat, run, replay --mode rerun). */
const running = {
  user: Args.text("user", "USER", "user id recorded on the message (default: $USER, else local)"),
  approve: Args.choice(
    "approve",
    ["yes", "no", "ask", "remote"],
    "approval of Write/Destructive steps (default: ask on a terminal, else no; remote: wait for a decision through cratos serve's API)"
  ),
  workspace: Args.text("workspace", "DIR", "folder the file tools are confined to (default: the current folder)"),
  planner: Args.choice("planner", ["rules", "llm"], "planner (default: rules)"),
  ...sealing
}

const time = (name: string, description: string) => Args.custom(name, "TIME", description, parseTimeArg)

const TIME_HELP =
  "TIME is an RFC 3339 time (2025-11-26T10:00:00Z), a UTC date (2025-11-26: the whole day) or a time ago (30m, 12h, 7d, 2w)."

export const chat = Args.command({
  name: "chat",
  summary: "Interactive session: each message is an execution (the default when no command is given).",
  synopsis: "[options]",
  details: [
    "On a terminal: type a message and press Enter; commands inside the session:",
    "  /history  /show [id|last]  /replay <id>  /help  /quit",
    "Without a terminal (stdin is a pipe): runs each line of stdin as a message."
  ].join("\n"),
  flags: { ...running, ...common },
  positionals: Args.none
})

export const run = Args.command({
  name: "run",
  summary: "Run one execution and print its response.",
  synopsis: "<text> [options]",
  details: [
    "Steps that write or destroy need approval: --approve ask prompts on the terminal (the default",
    "when there is one), --approve no declines them (the default without a terminal); a declined",
    "step is not run and the response says so.",
    "Exit status: 0 completed, 1 failed, 2 bad usage.",
    'Example: cratos run "read notes.txt" --workspace ~/notes --json'
  ].join("\n"),
  flags: { ...running, ...common },
  positionals: Args.words("text")
})

export const list = Args.command({
  name: "list",
  summary: "List executions, newest first.",
  synopsis: "[options]",
  details: [
    TIME_HELP,
    "--search matches the message text (plain text, not a pattern).",
    "A status marked completed* completed although some of its steps failed; --has-failures lists only those."
  ].join("\n"),
  flags: {
    user: Args.text("user", "USER", "only this user's executions"),
    status: Args.choice("status", STATUSES, "only executions with this status"),
    channel: Args.choice("channel", CHANNELS, `only executions from this channel (${CHANNELS.join(", ")})`, "CHANNEL"),
    since: time("since", "created at or after TIME"),
    until: time("until", "created at or before TIME"),
    search: Args.text("search", "TEXT", "message text contains TEXT"),
    hasFailures: Args.boolean("has-failures", "only executions that completed although some steps failed"),
    limit: Args.integer("limit", "N", "at most N executions (default 50, at most 10000)", { min: 1, max: 10_000 }),
    offset: Args.integer("offset", "N", "skip the first N", { min: 0 }),
    watch: Args.boolean("watch", "print the list again every 2 seconds until Ctrl-C"),
    ...common
  },
  positionals: Args.none
})

export const show = Args.command({
  name: "show",
  summary: "Show an execution's timeline (masked inputs and outputs).",
  synopsis: "<id|last> [options]",
  details: [
    "--at N shows the state after the first N events: status, pending approval, open tools.",
    "--json prints {execution, events}: wire JSON events with every raw field replaced by its masked value;",
    "--json --reveal gives the raw fields as appended (decrypted with the master key).",
    "--follow (like tail -f) keeps printing new events; with --json: {execution}, then one event per line."
  ].join("\n"),
  flags: {
    at: Args.integer("at", "N", "time travel: the state after the first N events", { min: 0 }),
    follow: Args.boolean(
      "follow",
      "then print each new event as it is appended, until the execution responds (Ctrl-C stops)"
    ),
    full: Args.boolean("full", "print every text whole (no … cuts)"),
    reveal: Args.boolean("reveal", "with --json: the raw content, decrypted, instead of masked values"),
    ...common
  },
  positionals: Args.one("id|last")
})

export const replay = Args.command({
  name: "replay",
  summary: "Replay an execution: view its timeline, plan it again, or run it again.",
  synopsis: "<id|last> [--mode view|dry-run|rerun] [options]",
  details: [
    "view     the timeline (as show)",
    "dry-run  plan the original message again; nothing runs, nothing is recorded",
    "rerun    a new execution from the original message (same approval rules); prints its id"
  ].join("\n"),
  flags: {
    mode: Args.choice("mode", ["view", "dry-run", "rerun"], "what to do (default: view)"),
    ...running,
    ...common
  },
  positionals: Args.one("id|last")
})

export const stats = Args.command({
  name: "stats",
  summary: "Executions by status, tool calls and durations per tool, tokens by model.",
  synopsis: "[options]",
  details: TIME_HELP,
  flags: { since: time("since", "only executions created at or after TIME"), ...common },
  positionals: Args.none
})

export const exportCmd = Args.command({
  name: "export",
  summary: "Export events as JSON lines {execution_id, user_id, position, event}.",
  synopsis: "(<id>... | --all) [--out FILE [--force]]",
  details: [
    "Streams in log order with bounded memory. The events are the stored wire JSON as stored: encrypted raw",
    "fields stay encrypted (a backup that `cratos import` restores where the master key is).",
    "--reveal writes the raw content decrypted, byte for byte as appended."
  ].join("\n"),
  flags: {
    reveal: Args.boolean("reveal", "write the raw content decrypted (plaintext)"),
    all: Args.boolean("all", "export every execution"),
    out: Args.text("out", "FILE", "write to FILE instead of stdout (written whole or not at all)"),
    force: Args.boolean("force", "with --out: replace FILE when it exists"),
    ...common
  },
  positionals: Args.many("id")
})

export const importCmd = Args.command({
  name: "import",
  summary: "Import JSON lines written by export (a file, or - for stdin).",
  synopsis: "<file|-> [--strict]",
  details: [
    "Each execution is committed in one transaction, and reported as it commits:",
    "  imported <execution_id> <count>",
    "An execution that already exists is skipped (skipped <execution_id> ...), nothing of it written.",
    "A bad line stops the import with its line number (exit 1); executions committed before it stay.",
    "--strict also checks each history against the lifecycle rules."
  ].join("\n"),
  flags: { strict: Args.boolean("strict", "refuse histories that break the lifecycle rules"), ...sealing, ...common },
  positionals: Args.one("file|-")
})

export const prune = Args.command({
  name: "prune",
  summary: "Delete finished executions older than some days (whole executions only).",
  synopsis: "--older-than DAYS [--dry-run]",
  details: "Only completed or failed executions are removed, each with its events and read models, in one transaction.",
  flags: {
    olderThan: Args.required(
      Args.integer("older-than", "DAYS", "created more than DAYS days ago (required)", { min: 0 })
    ),
    dryRun: Args.boolean("dry-run", "only print what would be removed"),
    ...common
  },
  positionals: Args.none
})

export const project = Args.command({
  name: "project",
  summary: "Run the projector in the foreground.",
  synopsis: "[--once | --follow | --rebuild [name]]",
  details:
    "--once (the default) catches up and exits; --follow keeps up until interrupted; --rebuild rebuilds one projection (or all).",
  flags: {
    once: Args.boolean("once", "catch up with the log and exit"),
    follow: Args.boolean("follow", "keep projecting new events until Ctrl-C"),
    rebuild: Args.optionalText("rebuild", "NAME", "rebuild a projection from the start (all when no name)"),
    ...common
  },
  positionals: Args.none
})

export const serve = Args.command({
  name: "serve",
  summary: "Serve the HTTP API (and the web UI) over the database.",
  synopsis: "[--host 127.0.0.1] [--port 7777] [--projector on|off]",
  details: [
    "Prints `cratos: listening on http://HOST:PORT` and a login link for the browser on stderr.",
    "--port 0 takes a free port. SIGTERM or SIGINT: stops accepting, finishes requests (10 s at most), exits 0.",
    "Clients need a token: cratos token create --name NAME --scopes read,ingest,approve"
  ].join("\n"),
  flags: {
    host: Args.text("host", "HOST", "address to bind (default 127.0.0.1)"),
    port: Args.integer("port", "PORT", "port to bind (default 7777; 0: a free one)", { min: 0, max: 65_535 }),
    projector: Args.choice("projector", ["on", "off"], "run the projector in this process (default on)"),
    web: Args.text("web", "DIR", "the web UI's built files (default apps/web/dist when it exists)"),
    ...sealing,
    ...common
  },
  positionals: Args.none
})

export const token = Args.command({
  name: "token",
  summary: "Create, list or revoke API tokens (cratos serve).",
  synopsis: "create --name NAME --scopes read,ingest,approve,reveal [--user U] | list | revoke NAME",
  details: [
    "create prints the new token alone on stdout, once: it is stored as a hash and cannot be shown again.",
    "A token made with --user U reads and writes only U's executions."
  ].join("\n"),
  flags: {
    name: Args.text("name", "NAME", "the token's name (create)"),
    scopes: Args.text("scopes", "SCOPES", "comma-separated: read, ingest, approve, reveal (raw content) (create)"),
    user: Args.text("user", "USER", "restrict the token to this user's executions (create)"),
    ...common
  },
  positionals: Args.many("create|list|revoke [name]", 1)
})

export const forget = Args.command({
  name: "forget",
  summary: "Forget a user: destroy their data key, so their raw content can never be read (crypto-shredding).",
  synopsis: "--user USER --yes | --list",
  details: [
    "No event is rewritten: timelines, masked copies and statistics remain; other users are untouched.",
    "A backup taken before the forget still holds the key (wrapped by the master key): see the README.",
    "--list prints the forgotten users, their key ids and when."
  ].join("\n"),
  flags: {
    user: Args.text("user", "USER", "the user to forget"),
    yes: Args.boolean("yes", "really destroy the key (without it nothing is done)"),
    list: Args.boolean("list", "print the forgotten users"),
    ...common
  },
  positionals: Args.none
})

export const key = Args.command({
  name: "key",
  summary: "Rotate the master key: a new key re-wraps every data key (no event is rewritten).",
  synopsis: "rotate",
  details: "The old key file is kept beside the new one; the command says when it can go.",
  flags: common,
  positionals: Args.one("rotate")
})

export const help = Args.command({
  name: "help",
  summary: "Show help for a command.",
  synopsis: "[command]",
  details: "",
  flags: common,
  positionals: Args.optionalOne("command")
})

export const completion = Args.command({
  name: "completion",
  summary: "Print a shell completion script (bash, zsh or fish).",
  synopsis: "bash|zsh|fish",
  details: [
    "bash: source <(cratos completion bash)      (or add that line to ~/.bashrc)",
    'zsh:  cratos completion zsh > "${fpath[1]}/_cratos"',
    "fish: cratos completion fish > ~/.config/fish/completions/cratos.fish"
  ].join("\n"),
  flags: common,
  positionals: Args.one("shell")
})

export const specs = {
  chat,
  run,
  list,
  show,
  replay,
  stats,
  export: exportCmd,
  import: importCmd,
  prune,
  project,
  completion,
  serve,
  token,
  forget,
  key,
  help
} as const

type Specs = typeof specs
type ParsedOf<K extends keyof Specs> =
  Specs[K] extends Args.CommandSpec<infer N, infer F, infer P> ? Args.Parsed<N, F, P> : never

/** A parsed command line: one command and its typed flags. */
export type Invocation = { readonly [K in keyof Specs]: ParsedOf<K> }[keyof Specs]
export type InvocationOf<K extends keyof Specs> = ParsedOf<K>
export type CommonFlags = {
  readonly db: string | undefined
  readonly json: boolean
  readonly verbose: boolean
  readonly help: boolean
  readonly version: boolean
}

export const commandNames = Object.keys(specs) as ReadonlyArray<keyof Specs>

const isCommand = (name: string): name is keyof Specs => Object.prototype.hasOwnProperty.call(specs, name)

/** Whether `name` is a command. */
export const isCommandName = (name: string): boolean => isCommand(name)

/** The whole program's usage: the command list. */
export const programUsage = (): string => {
  const width = Math.max(...commandNames.map((n) => n.length))
  return [
    "Usage: cratos [command] [options]",
    "",
    "Cratos Core: an assistant whose every execution is recorded as events you can list, show and replay.",
    "With no command: an interactive session on a terminal, or one message per line from a pipe.",
    "",
    "Commands:",
    ...commandNames.map((n) => `  ${n.padEnd(width)}  ${specs[n].summary}`),
    "",
    "Options accepted by every command: --db PATH, --json, --verbose, --help, --version.",
    "Run 'cratos <command> --help' for a command's options."
  ].join("\n")
}

/** The usage of a command (null: the program's). */
export const usageOf = (command: string | null): string =>
  command !== null && isCommand(command) ? Args.usage(specs[command]) : programUsage()

/**
 * Parses a whole command line (without `node` and the script). The command is the first token
 * that is not a flag; flags before it are read with the command's own spec, so
 * `cratos --db F list` works as `cratos list --db F`. No command at all is `chat`.
 */
export const parseCommandLine = (argv: ReadonlyArray<string>): Either.Either<Invocation, Args.UsageError> => {
  let index = -1
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i]!
    if (t === "--") break
    if (!t.startsWith("-")) {
      index = i
      break
    }
    // skip the value of a leading valued flag (`--db F list`, `--user bob` for chat)
    const flag = Object.values(specs.chat.flags).find((f) => `--${f.name}` === t)
    if (flag !== undefined && flag.metavar !== null) i++
  }
  if (index === -1) return Args.parse(specs.chat, argv) as Either.Either<Invocation, Args.UsageError>
  const name = argv[index]!
  if (!isCommand(name)) {
    const hint = Args.suggest(name, commandNames)
    const reason = `unknown command ${JSON.stringify(name)}${hint === undefined ? "" : ` (did you mean ${hint}?)`}`
    return Either.left(new Args.UsageError({ command: null, reason }))
  }
  const rest = [...argv.slice(0, index), ...argv.slice(index + 1)]
  return Args.parse(specs[name] as Args.CommandSpec<string, Args.Flags, Args.Positionals>, rest) as Either.Either<
    Invocation,
    Args.UsageError
  >
}
