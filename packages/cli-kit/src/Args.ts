/**
 * A small typed argument parser: a command declares its flags and positionals, and parsing gives
 * back values whose types follow from the declaration, or a {@link UsageError} saying what is wrong.
 *
 * Syntax: `--name value`, `--name=value`, boolean switches `--name`, `--` ends the flags, `-h` is
 * `--help`. A valued flag takes the next token as its value unless that token is itself a flag
 * (`--user --json` is a missing value; `--search=--x` passes a value that starts with dashes).
 * Pure: no I/O, no clock.
 */
import { Data, Either } from "effect"

/** What is wrong with a command line; `command` selects the usage to print. */
export class UsageError extends Data.TaggedError("UsageError")<{
  readonly command: string | null
  readonly reason: string
}> {
  override get message() {
    return this.reason
  }
}

/** One flag: how it reads its value and what it is when absent. */
export interface Flag<A> {
  readonly name: string
  /** Shown in usage (`--limit N`); null for a switch that takes no value. */
  readonly metavar: string | null
  readonly description: string
  /** A flag whose value may be omitted (`--rebuild [name]`). */
  readonly optionalValue: boolean
  readonly absent: A
  /** Reads the value (`null` when the flag was given without one). */
  readonly read: (raw: string | null) => Either.Either<A, string>
  /** Must be given (unless `--help` is). */
  readonly required?: boolean
}

/** The same flag, required: absent is a usage error (`missing --older-than DAYS`). */
export const required = <A>(flag: Flag<A | undefined>): Flag<A> => ({ ...flag, required: true }) as Flag<A>

/** Edit distance of two words (Levenshtein), for "did you mean". */
export const distance = (a: string, b: string): number => {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    prev = row
  }
  return prev[b.length]!
}

/** The closest of `candidates` to a mistyped `word` (at most 2 edits, or a unique prefix), if any. */
export const suggest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  const prefixed = candidates.filter((c) => word.length >= 2 && c.startsWith(word))
  if (prefixed.length === 1) return prefixed[0]
  let best: string | undefined
  let bestDistance = Math.min(2, Math.floor(word.length / 2))
  for (const c of candidates) {
    const d = distance(word, c)
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = c
      bestDistance = d
    }
  }
  return best
}

const didYouMean = (s: string | undefined, prefix = "") => (s === undefined ? "" : ` (did you mean ${prefix}${s}?)`)

export type FlagValue<F> = F extends Flag<infer A> ? A : never

const quote = (s: string) => JSON.stringify(s)

/** `--name`: true when given. */
export const boolean = (name: string, description: string): Flag<boolean> => ({
  name,
  metavar: null,
  description,
  optionalValue: false,
  absent: false,
  read: () => Either.right(true)
})

/** `--name VALUE`: any non-empty text. */
export const text = (name: string, metavar: string, description: string): Flag<string | undefined> => ({
  name,
  metavar,
  description,
  optionalValue: false,
  absent: undefined,
  read: (raw) => (raw === null || raw === "" ? Either.left(`--${name} needs a ${metavar} value`) : Either.right(raw))
})

/** `--name N`: a decimal integer within bounds. */
export const integer = (
  name: string,
  metavar: string,
  description: string,
  bounds: { readonly min?: number; readonly max?: number } = {}
): Flag<number | undefined> => {
  const min = bounds.min ?? 0
  const max = bounds.max ?? Number.MAX_SAFE_INTEGER
  return {
    name,
    metavar,
    description,
    optionalValue: false,
    absent: undefined,
    read: (raw) => {
      if (raw === null) return Either.left(`--${name} needs a number`)
      const n = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`
        return Either.left(`--${name} must be ${range}, got ${quote(raw)}`)
      }
      return Either.right(n)
    }
  }
}

/** `--name VALUE`: one of a fixed set. */
export const choice = <const V extends string>(
  name: string,
  values: ReadonlyArray<V>,
  description: string,
  metavar: string = values.join("|")
): Flag<V | undefined> => ({
  name,
  metavar,
  description,
  optionalValue: false,
  absent: undefined,
  read: (raw) =>
    raw !== null && (values as ReadonlyArray<string>).includes(raw)
      ? Either.right(raw as V)
      : Either.left(`--${name} must be one of ${values.join(", ")}, got ${raw === null ? "nothing" : quote(raw)}`)
})

/** `--name VALUE` read by a custom function (dates, durations). */
export const custom = <A>(
  name: string,
  metavar: string,
  description: string,
  parse: (raw: string) => Either.Either<A, string>
): Flag<A | undefined> => ({
  name,
  metavar,
  description,
  optionalValue: false,
  absent: undefined,
  read: (raw) =>
    raw === null
      ? Either.left(`--${name} needs a ${metavar} value`)
      : Either.mapLeft(parse(raw), (e) => `--${name}: ${e}`)
})

/** `--name [VALUE]`: absent is undefined, bare is `true`, with a value it is the value. */
export const optionalText = (name: string, metavar: string, description: string): Flag<string | true | undefined> => ({
  name,
  metavar,
  description,
  optionalValue: true,
  absent: undefined,
  read: (raw) => Either.right(raw === null || raw === "" ? true : raw)
})

/** No positional arguments. */
export interface NoPositionals {
  readonly _tag: "None"
}
/** One word (required or not). */
export interface OnePositional<Required extends boolean> {
  readonly _tag: "One"
  readonly name: string
  readonly required: Required
}
/** Any number of words (at least `min`), kept as a list. */
export interface ManyPositionals {
  readonly _tag: "Many"
  readonly name: string
  readonly min: number
}
/** Words joined by single spaces into one text (`cratos run read notes.txt`). */
export interface TextPositionals {
  readonly _tag: "Text"
  readonly name: string
}

/** Positional arguments of a command. */
export type Positionals = NoPositionals | OnePositional<boolean> | ManyPositionals | TextPositionals

export const none: NoPositionals = { _tag: "None" }
export const one = (name: string): OnePositional<true> => ({ _tag: "One", name, required: true })
export const optionalOne = (name: string): OnePositional<false> => ({ _tag: "One", name, required: false })
export const many = (name: string, min = 0): ManyPositionals => ({ _tag: "Many", name, min })
export const words = (name: string): TextPositionals => ({ _tag: "Text", name })

type PositionalValue<P extends Positionals> = P extends NoPositionals
  ? undefined
  : P extends ManyPositionals
    ? ReadonlyArray<string>
    : P extends OnePositional<false>
      ? string | undefined
      : string

export type Flags = Readonly<Record<string, Flag<unknown>>>

export interface CommandSpec<Name extends string, F extends Flags, P extends Positionals> {
  readonly name: Name
  /** One line for the command list. */
  readonly summary: string
  /** Usage synopsis after `cratos <name>`. */
  readonly synopsis: string
  /** More text shown by `--help` (examples, notes). */
  readonly details: string
  readonly flags: F
  readonly positionals: P
}

export interface Parsed<Name extends string, F extends Flags, P extends Positionals> {
  readonly command: Name
  readonly flags: { readonly [K in keyof F]: FlagValue<F[K]> }
  readonly args: PositionalValue<P>
}

export const command = <const Name extends string, F extends Flags, P extends Positionals>(
  spec: CommandSpec<Name, F, P>
): CommandSpec<Name, F, P> => spec

const findFlag = (flags: Flags, name: string): Flag<unknown> | undefined =>
  Object.prototype.hasOwnProperty.call(flags, name) ? flags[name] : Object.values(flags).find((f) => f.name === name)

/**
 * Parses the tokens after the command name against a spec. A flag given twice keeps its last
 * value (as most CLIs do).
 */
export const parse = <Name extends string, F extends Flags, P extends Positionals>(
  spec: CommandSpec<Name, F, P>,
  tokens: ReadonlyArray<string>
): Either.Either<Parsed<Name, F, P>, UsageError> => {
  const fail = (reason: string) => Either.left(new UsageError({ command: spec.name, reason }))
  const values: Record<string, unknown> = {}
  for (const key of Object.keys(spec.flags)) values[key] = spec.flags[key]!.absent
  const keyOf = new Map<string, string>()
  for (const key of Object.keys(spec.flags)) keyOf.set(spec.flags[key]!.name, key)
  const positionals: Array<string> = []
  let onlyPositionals = false
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!
    if (onlyPositionals || !token.startsWith("-") || token === "-" || /^-\d/.test(token)) {
      positionals.push(token)
      continue
    }
    if (token === "--") {
      onlyPositionals = true
      continue
    }
    const isLong = token.startsWith("--")
    const body = isLong ? token.slice(2) : token.slice(1)
    const eq = isLong ? body.indexOf("=") : -1
    const rawName = eq === -1 ? body : body.slice(0, eq)
    const name = !isLong && rawName === "h" ? "help" : rawName
    const flag = isLong || name === "help" ? findFlag(spec.flags, name) : undefined
    if (flag === undefined) {
      const hint = suggest(
        rawName,
        Object.values(spec.flags).map((f) => f.name)
      )
      return fail(`unknown option ${isLong ? `--${rawName}` : token}${didYouMean(hint, "--")}`)
    }
    let raw: string | null = null
    if (eq !== -1) {
      if (flag.metavar === null) return fail(`--${name} takes no value`)
      raw = body.slice(eq + 1)
    } else if (flag.metavar !== null) {
      const next = tokens[i + 1]
      const nextIsValue = next !== undefined && !(next.startsWith("--") && next.length > 2) && !(next === "-h")
      if (nextIsValue && !(flag.optionalValue && next.startsWith("-"))) {
        raw = next
        i++
      } else if (!flag.optionalValue) {
        return fail(`--${name} needs a value (${flag.metavar})`)
      }
    }
    const read = flag.read(raw)
    if (Either.isLeft(read)) return fail(read.left)
    values[keyOf.get(flag.name)!] = read.right
  }
  const help = values["help"] === true
  if (!help) {
    for (const [key, f] of Object.entries(spec.flags)) {
      if (f.required === true && values[key] === undefined)
        return fail(`missing --${f.name} ${f.metavar ?? ""}`.trimEnd())
    }
  }
  const p = spec.positionals
  let args: unknown
  switch (p._tag) {
    case "None":
      if (positionals.length > 0) return fail(`unexpected argument ${quote(positionals[0]!)}`)
      args = undefined
      break
    case "One":
      if (positionals.length > 1) return fail(`unexpected argument ${quote(positionals[1]!)}`)
      if (positionals.length === 0 && p.required && !help) return fail(`missing <${p.name}>`)
      args = positionals[0]
      break
    case "Many":
      if (positionals.length < p.min && !help) return fail(`missing <${p.name}>`)
      args = positionals
      break
    case "Text": {
      const joined = positionals.join(" ")
      if (joined.trim() === "" && !help) return fail(`missing <${p.name}>`)
      args = joined
      break
    }
  }
  return Either.right({ command: spec.name, flags: values, args } as Parsed<Name, F, P>)
}

/** The usage text of a command: synopsis, flags with their descriptions, details. */
export const usage = (spec: CommandSpec<string, Flags, Positionals>, program = "cratos"): string => {
  const rows = Object.values(spec.flags).map((f) => {
    const left =
      f.metavar === null ? `--${f.name}` : f.optionalValue ? `--${f.name} [${f.metavar}]` : `--${f.name} ${f.metavar}`
    return [left, f.description] as const
  })
  const width = Math.max(0, ...rows.map(([l]) => l.length))
  const lines = [
    `Usage: ${program}${spec.name === "" ? "" : ` ${spec.name}`}${spec.synopsis === "" ? "" : ` ${spec.synopsis}`}`,
    "",
    spec.summary,
    "",
    "Options:",
    ...rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`)
  ]
  if (spec.details !== "") lines.push("", spec.details)
  return lines.join("\n")
}
