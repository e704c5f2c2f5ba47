/**
 * The two bounds of writer leases from the environment: CRATOS_WRITER_HEARTBEAT_MS (how often a
 * writer beats, 5000 by default) and CRATOS_WRITER_STALE_MS (how old a heartbeat from another host
 * may be before its writer counts as dead, 60000 by default). Not a positive integer: the default.
 */
export interface LeaseSettings {
  readonly heartbeatMs?: number
  readonly staleAfterMs?: number
}

const positive = (raw: string | undefined): number | undefined => {
  const n = Number(raw)
  return raw !== undefined && Number.isInteger(n) && n > 0 ? n : undefined
}

export const leaseSettingsFromEnv = (env: Record<string, string | undefined> = process.env): LeaseSettings => {
  const heartbeatMs = positive(env["CRATOS_WRITER_HEARTBEAT_MS"])
  const staleAfterMs = positive(env["CRATOS_WRITER_STALE_MS"])
  return {
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(staleAfterMs === undefined ? {} : { staleAfterMs })
  }
}
