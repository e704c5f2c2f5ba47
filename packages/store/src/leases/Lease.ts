/** One row of `writer_leases`: which process is writing an execution (see `WriterLeases`). */
export interface Lease {
  readonly executionId: string
  readonly pid: number
  readonly host: string
  /** Epoch ms. */
  readonly processStartedAt: number
  /** Epoch ms. */
  readonly heartbeatAt: number
  /** The process groups of the tool children running now (`writer_lease_children`). */
  readonly children: ReadonlyArray<LeasedChild>
}

/** A tool child's process group named by a lease. */
export interface LeasedChild {
  readonly pgid: number
  /** When the child started (epoch ms), or null when it could not be read. */
  readonly startedAt: number | null
}
