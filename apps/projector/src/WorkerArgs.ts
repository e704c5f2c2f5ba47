/**
 * The worker's command line, declared with the parser `cratos` uses (@cratos/cli-kit's Args: the
 * same syntax, errors and "did you mean"): pure parsing into options, or the usage error to print
 * (exit 2).
 */
import { Args, UsageError } from "@cratos/cli-kit"
import { POISON_POLICIES, type PoisonPolicy } from "@cratos/projector"
import { Either } from "effect"

export { UsageError }

export interface WorkerArgs {
  readonly _tag: "Run"
  readonly follow: boolean
  readonly rebuild: string | true | undefined
  readonly db: string | undefined
  readonly poison: PoisonPolicy
  readonly batchSize: number | undefined
}

export type Parsed = WorkerArgs | { readonly _tag: "Help" } | { readonly _tag: "Version" }

export const spec = Args.command({
  name: "",
  summary: "Keeps the read model (execution statuses, summaries, tool calls) in step with the event log.",
  synopsis: "[options]",
  details: "Logs are JSON lines on stderr. SIGINT/SIGTERM/SIGHUP finish the current batch and exit 0.",
  flags: {
    follow: Args.boolean("follow", "catch up, then keep following the log (default)"),
    once: Args.boolean("once", "catch up to the current end of the log and exit"),
    rebuild: Args.optionalText(
      "rebuild",
      "NAME",
      "reset NAME (default: every projection) and rebuild it from position 0"
    ),
    db: Args.text(
      "db",
      "PATH",
      "the database (default: $CRATOS_DB, else $CRATOS_HOME/cratos.db, else ~/.cratos/cratos.db)"
    ),
    poison: Args.choice(
      "poison",
      POISON_POLICIES,
      "an event that cannot be projected: dead-letter (default: record it, skip it, go on) or stop (exit 1)",
      "POLICY"
    ),
    batchSize: Args.integer("batch-size", "N", "log entries per transaction (default 1000)", { min: 1, max: 100_000 }),
    help: Args.boolean("help", "show this help"),
    version: Args.boolean("version", "print the version and exit")
  },
  positionals: Args.none
})

export const USAGE = `${Args.usage(spec, "cratos-projector")}\n`

export const parseWorkerArgs = (argv: ReadonlyArray<string>): Either.Either<Parsed, UsageError> =>
  Either.flatMap(Args.parse(spec, argv), ({ flags }): Either.Either<Parsed, UsageError> => {
    if (flags.help) return Either.right({ _tag: "Help" })
    if (flags.version) return Either.right({ _tag: "Version" })
    if (flags.once && flags.follow) {
      return Either.left(new UsageError({ command: "", reason: "--once and --follow cannot be used together" }))
    }
    return Either.right({
      _tag: "Run",
      follow: !flags.once,
      rebuild: flags.rebuild,
      db: flags.db,
      poison: flags.poison ?? "dead-letter",
      batchSize: flags.batchSize
    })
  })
