/**
 * One append at a time per execution in this server. Appends of concurrent requests share
 * transactions (GroupedSealingStore), so between a request's check against the cached state and
 * its COMMIT another request's fiber runs; two appends to one stream in one group would make all
 * but the first a lost race, each re-reading (and opening) the whole stream and trying again.
 * Queued here instead, each append starts from the state its predecessor left in StreamStates:
 * different executions still share transactions, one execution's appends follow each other as
 * they did when every append was its own transaction. (Another process's appends are still
 * caught by the store's version check.)
 */
import { Effect } from "effect"

export interface StreamLocks {
  /** `effect` once no other `exclusive` of the same id is running (first come, first served). */
  readonly exclusive: <A, E, R>(id: string, effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Executions with a lock held or awaited (for tests: 0 once every request is done). */
  readonly size: () => number
}

export const makeStreamLocks = (): StreamLocks => {
  const locks = new Map<string, { readonly semaphore: Effect.Semaphore; users: number }>()
  return {
    exclusive: (id, effect) =>
      Effect.suspend(() => {
        let lock = locks.get(id)
        if (lock === undefined) {
          lock = { semaphore: Effect.unsafeMakeSemaphore(1), users: 0 }
          locks.set(id, lock)
        }
        const held = lock
        held.users++
        return held.semaphore
          .withPermits(1)(effect)
          .pipe(
            Effect.ensuring(
              Effect.sync(() => {
                if (--held.users === 0) locks.delete(id)
              })
            )
          )
      }),
    size: () => locks.size
  }
}
