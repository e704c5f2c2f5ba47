/** One row of `writer_leases`: which process is writing an execution (see `WriterLeases`). */
export interface Lease {
  readonly executionId: string
  readonly pid: number
  readonly host: string
  /** Epoch ms. */
  readonly processStartedAt: number
  /** Epoch ms. */
  readonly heartbeatAt: number
  readonly childPgid: number | null
  /** Epoch ms. */
  readonly childStartedAt: number | null
}
