/**
 * The worker's command line: pure parsing into options, or the usage error to print (exit 2).
 */
import { POISON_POLICIES, type PoisonPolicy } from "@cratos/projector"
import { Data, Either } from "effect"

export interface WorkerArgs {
  readonly _tag: "Run"
  readonly follow: boolean
  readonly rebuild: string | true | undefined
  readonly db: string | undefined
  readonly poison: PoisonPolicy
  readonly batchSize: number | undefined
}

export type Parsed = WorkerArgs | { readonly _tag: "Help" }

export class UsageError extends Data.TaggedError("UsageError")<{ readonly reason: string }> {
  override get message() {
    return this.reason
  }
}

export const USAGE = `Usage: cratos-projector [options]

Keeps the read model (execution statuses, summaries, tool calls) in step with the event log.

Options:
  --follow             catch up, then keep following the log (default)
  --once               catch up to the current end of the log and exit
  --rebuild [NAME]     reset NAME (default: every projection) and rebuild it from position 0
  --db PATH            the database (default: $CRATOS_DB, else $CRATOS_HOME/cratos.db,
                       else ~/.cratos/cratos.db)
  --poison POLICY      what to do with an event that cannot be projected:
                       dead-letter (default: record it, skip it, go on) or stop (exit 1)
  --batch-size N       log entries per transaction (default 1000)
  -h, --help           show this help

Logs are JSON lines on stderr. SIGINT/SIGTERM finish the current batch and exit 0.
`

const usage = (reason: string) => Either.left(new UsageError({ reason }))

export const parseWorkerArgs = (argv: ReadonlyArray<string>): Either.Either<Parsed, UsageError> => {
  let mode: "once" | "follow" | undefined
  let rebuild: string | true | undefined
  let db: string | undefined
  let poison: PoisonPolicy = "dead-letter"
  let batchSize: number | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    const inline = eq === -1 ? undefined : arg.slice(eq + 1)
    const value = (): string | undefined => {
      if (inline !== undefined) return inline
      const next = argv[i + 1]
      if (next === undefined || next.startsWith("-")) return undefined
      i++
      return next
    }
    switch (flag) {
      case "-h":
      case "--help":
        return Either.right({ _tag: "Help" })
      case "--once":
      case "--follow": {
        const m = flag === "--once" ? "once" : "follow"
        if (inline !== undefined) return usage(`${flag} takes no value`)
        if (mode !== undefined && mode !== m) return usage("--once and --follow cannot be used together")
        mode = m
        break
      }
      case "--rebuild": {
        if (rebuild !== undefined) return usage("--rebuild given twice")
        const name = value()
        if (name === "") return usage("--rebuild= needs a projection name")
        rebuild = name ?? true
        break
      }
      case "--db": {
        const v = value()
        if (v === undefined || v.trim() === "") return usage("--db needs a path")
        db = v
        break
      }
      case "--poison": {
        const v = value()
        if (v === undefined || !(POISON_POLICIES as ReadonlyArray<string>).includes(v)) {
          return usage(`--poison needs one of ${POISON_POLICIES.join(", ")}`)
        }
        poison = v as PoisonPolicy
        break
      }
      case "--batch-size": {
        const v = value()
        const n = v === undefined ? Number.NaN : Number(v)
        if (!Number.isSafeInteger(n) || n < 1 || n > 100_000) return usage("--batch-size needs an integer from 1 to 100000")
        batchSize = n
        break
      }
      default:
        return usage(arg.startsWith("-") ? `unknown option ${arg}` : `unexpected argument ${arg}`)
    }
  }
  return Either.right({ _tag: "Run", follow: mode !== "once", rebuild, db, poison, batchSize })
}
