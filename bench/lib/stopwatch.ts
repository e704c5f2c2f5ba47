/**
 * Wall-clock and CPU time of the timed sections of a run. CPU time (user + system of the whole
 * process, process.cpuUsage) is kept beside wall time: on a shared 2-core machine the wall time
 * of a run also counts the time other processes held the cores, its CPU time does not.
 */
export class Stopwatch {
  private wallMs = 0
  private cpuUs = 0
  private t0 = 0
  private c0: NodeJS.CpuUsage = { user: 0, system: 0 }

  start(): void {
    this.c0 = process.cpuUsage()
    this.t0 = performance.now()
  }

  stop(): void {
    this.wallMs += performance.now() - this.t0
    const c = process.cpuUsage(this.c0)
    this.cpuUs += c.user + c.system
  }

  time<A>(f: () => A): A {
    this.start()
    try {
      return f()
    } finally {
      this.stop()
    }
  }

  async timeAsync<A>(f: () => Promise<A>): Promise<A> {
    this.start()
    try {
      return await f()
    } finally {
      this.stop()
    }
  }

  get seconds(): number {
    return this.wallMs / 1000
  }

  get cpuSeconds(): number {
    return this.cpuUs / 1e6
  }
}

/** Lets the event loop turn (signals, timers) between synchronous chunks of a run. */
export const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
