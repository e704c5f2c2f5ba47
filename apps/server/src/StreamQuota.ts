/** Counts open SSE streams per token; `acquire` refuses past the cap. */
export interface StreamQuota {
  readonly acquire: (key: string) => boolean
  readonly release: (key: string) => void
  readonly open: () => number
}

export const makeStreamQuota = (max: number): StreamQuota => {
  const counts = new Map<string, number>()
  let total = 0
  return {
    acquire: (key) => {
      const n = counts.get(key) ?? 0
      if (n >= max) return false
      counts.set(key, n + 1)
      total++
      return true
    },
    release: (key) => {
      const n = counts.get(key) ?? 0
      if (n <= 1) counts.delete(key)
      else counts.set(key, n - 1)
      if (n > 0) total--
    },
    open: () => total
  }
}
