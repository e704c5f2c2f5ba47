/**
 * Which database the projector runs on, as a service: `ProjectorDatabase.sqlite` (the shared
 * better-sqlite3 `Database`) or `ProjectorDatabase.postgres` (the store's `PostgresDatabase` pool;
 * its module is loaded on first use, so `pg` never loads on the SQLite path). `runProjector` and
 * `Projector.makeOn` take the backend from here; the storage layers of the CLI, the server and the
 * worker choose one from the `--db` they were given.
 */
import type { Database, PostgresDatabase, StorageError } from "@cratos/store"
import { Context, Effect, Layer, type Scope } from "effect"
import type { PoisonPolicy } from "./PoisonPolicy.js"
import type { Projection } from "./Projection.js"
import type { ProjectorBackend } from "./ProjectorBackend.js"
import * as SqliteBackend from "./SqliteProjectorBackend.js"

export interface ProjectorDatabaseShape {
  readonly backend: (
    projections: ReadonlyArray<Projection>,
    policy: PoisonPolicy
  ) => Effect.Effect<ProjectorBackend, StorageError, Scope.Scope>
  /**
   * Becomes the one following projector of this database, for the scope's life: waits while
   * another holds it. PostgreSQL: a session advisory lock on a connection of its own (a killed
   * leader's connection closes and the lock goes with it); SQLite: nothing to wait for (one
   * machine; batches are serialized by the write lock).
   */
  readonly leadership: Effect.Effect<void, StorageError, Scope.Scope>
}

export class ProjectorDatabase extends Context.Tag("@cratos/projector/ProjectorDatabase")<
  ProjectorDatabase,
  ProjectorDatabaseShape
>() {
  static readonly sqlite: Layer.Layer<ProjectorDatabase, never, Database> = Layer.effect(
    ProjectorDatabase,
    Effect.map(Effect.context<Database>(), (context) => ({
      backend: (projections, policy) => Effect.provide(SqliteBackend.make(projections, policy), context),
      leadership: Effect.void
    }))
  )
  static readonly postgres: Layer.Layer<ProjectorDatabase, never, PostgresDatabase> = Layer.effect(
    ProjectorDatabase,
    Effect.map(Effect.context<PostgresDatabase>(), (context) => ({
      backend: (projections, policy) =>
        Effect.flatMap(
          Effect.promise(() => import("./postgres/PostgresProjectorBackend.js")),
          (m) => Effect.provide(m.make(projections, policy), context)
        ),
      leadership: Effect.flatMap(
        Effect.promise(() => import("./postgres/PostgresLeadership.js")),
        (m) => Effect.provide(m.leadership, context)
      )
    }))
  )
}
