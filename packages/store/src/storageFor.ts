/**
 * The backend choice alone: opens `db` (or CRATOS_DB, …) as SQLite or PostgreSQL, i.e. builds one
 * of the two layers the caller gives, chosen by the location (`postgres://…` / `postgresql://…`
 * is a server, anything else a file). The CLI, `cratos serve` and the worker each pass their own
 * two layers, so a wrapper (sealing, issue 14) composes with either branch.
 */
import { Effect, Layer } from "effect"
import { databaseLocation } from "./DatabasePath.js"
import { DatabaseOpenError } from "./errors.js"

export const storageFor = <A, E, R>(
  db: string | undefined,
  choose: {
    readonly sqlite: (path: string | undefined) => Layer.Layer<A, E, R>
    readonly postgres: (url: string) => Layer.Layer<A, E, R>
  }
): Layer.Layer<A, E | DatabaseOpenError, R> =>
  Layer.unwrapEffect(
    databaseLocation(db).pipe(
      Effect.mapError(
        (e) => new DatabaseOpenError({ path: db ?? "(default path)", reason: `configuration: ${e.message}` })
      ),
      Effect.map((location) => (location._tag === "Postgres" ? choose.postgres(location.url) : choose.sqlite(db)))
    )
  )
