/**
 * The folded state of recently written streams, so an append is checked without reading its
 * whole stream again (a stream of n events would cost O(n) per append, O(n²) in all). A cached
 * state is only ever used with itself as the expected version: if anyone appended meanwhile
 * (another process, another request) the store refuses the append and the stream is read again.
 */
import type { Execution } from "@cratos/domain"

export interface CachedStream {
  readonly state: Execution.ExecutionState
  readonly userId: string
}

export interface StreamStates {
  readonly get: (id: string) => CachedStream | undefined
  readonly set: (id: string, entry: CachedStream) => void
  readonly drop: (id: string) => void
}

export const makeStreamStates = (max = 10_000): StreamStates => {
  const entries = new Map<string, CachedStream>()
  return {
    get: (id) => entries.get(id),
    set: (id, entry) => {
      entries.delete(id)
      entries.set(id, entry)
      if (entries.size > max) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
    },
    drop: (id) => void entries.delete(id)
  }
}
