/**
 * Where the database lives: an explicit path, else `CRATOS_DB`, else `$CRATOS_HOME/cratos.db`,
 * else `~/.cratos/cratos.db` (CONTRACT.md section 3). `:memory:` is kept as is, and so is a
 * `postgres://` URL (it selects PostgreSQL: `databaseLocation` tells which; never a path).
 */
import * as os from "node:os"
import * as path from "node:path"
import { Config, Effect, Option } from "effect"
import { isPostgresUrl } from "./DatabaseUrl.js"

export const MEMORY = ":memory:"

export interface PathSources {
  /** A path given by the caller (an option, a flag): wins over everything. */
  readonly explicit?: string | undefined
  /** `CRATOS_DB`: the database file. */
  readonly cratosDb?: string | undefined
  /** `CRATOS_HOME`: the folder holding `cratos.db`. */
  readonly cratosHome?: string | undefined
  /** The user's home folder. */
  readonly home: string
  /** Relative paths are resolved against this folder. */
  readonly cwd: string
}

const given = (s: string | undefined): s is string => s !== undefined && s.trim() !== ""

/** `~` and `~/…` name the home folder, as a shell would expand them. */
const expandHome = (p: string, home: string): string =>
  p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p

const absolute = (p: string, sources: PathSources): string =>
  p === MEMORY || isPostgresUrl(p) ? p.trim() : path.resolve(sources.cwd, expandHome(p, sources.home))

/** The database path the sources select; pure. */
export const resolveDatabasePath = (sources: PathSources): string => {
  if (given(sources.explicit)) return absolute(sources.explicit, sources)
  if (given(sources.cratosDb)) return absolute(sources.cratosDb, sources)
  if (given(sources.cratosHome)) return path.join(absolute(sources.cratosHome, sources), "cratos.db")
  return path.join(sources.home, ".cratos", "cratos.db")
}

/** The database path, reading `CRATOS_DB` and `CRATOS_HOME` through effect's `Config`. */
export const databasePath = (explicit?: string) =>
  Effect.gen(function* () {
    const cratosDb = yield* Config.option(Config.string("CRATOS_DB"))
    const cratosHome = yield* Config.option(Config.string("CRATOS_HOME"))
    return resolveDatabasePath({
      explicit,
      cratosDb: Option.getOrUndefined(cratosDb),
      cratosHome: Option.getOrUndefined(cratosHome),
      home: os.homedir(),
      cwd: process.cwd()
    })
  })

/** The database the sources select: a SQLite file (or `:memory:`) or a PostgreSQL server. */
export type DatabaseLocation =
  | { readonly _tag: "Sqlite"; readonly path: string }
  | { readonly _tag: "Postgres"; readonly url: string }

export const locationOf = (resolved: string): DatabaseLocation =>
  isPostgresUrl(resolved) ? { _tag: "Postgres", url: resolved } : { _tag: "Sqlite", path: resolved }

/** The selected database, reading `CRATOS_DB` and `CRATOS_HOME` through effect's `Config`. */
export const databaseLocation = (explicit?: string) => Effect.map(databasePath(explicit), locationOf)
