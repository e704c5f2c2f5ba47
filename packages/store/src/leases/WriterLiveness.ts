/**
 * Whether the writer named by a lease is still alive. On this host: by its process
 * (`process.kill(pid, 0)`, a zombie counts as dead), with its start time guarding against a
 * reused pid. On another host: by its heartbeat, dead when older than `staleAfterMs`.
 */
import * as fs from "node:fs"
import type { Lease, LeasedChild } from "./Lease.js"

/** How far a process's start time read from /proc may be from the one the lease recorded. */
const START_TOLERANCE_MS = 3000

export interface LivenessContext {
  readonly host: string
  readonly nowMs: number
  readonly staleAfterMs: number
}

/** Start time (epoch ms) and state letter of a process from /proc; undefined where there is no /proc. */
export const procInfo = (pid: number): { readonly startedAt: number; readonly state: string } | undefined => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8")
    // "pid (comm) S ppid ..." — comm may hold spaces and parentheses: split after the last ")"
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ")
    const state = fields[0]!
    const startTicks = Number(fields[19])
    const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync("/proc/stat", "utf8"))?.[1])
    if (!Number.isFinite(startTicks) || !Number.isFinite(btime)) return undefined
    // USER_HZ is 100 on every Linux Node runs on
    return { startedAt: btime * 1000 + startTicks * 10, state }
  } catch {
    return undefined
  }
}

const processExists = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it exists, owned by someone else
    return (e as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Whether a tool child a dead writer's lease names is still that child (this host): the group
 * leader exists and started when the lease says; without /proc, whether the group exists.
 */
export const isLeasedChild = (child: LeasedChild): boolean => {
  if (!processExists(child.pgid)) return false
  const info = procInfo(child.pgid)
  if (info === undefined || child.startedAt === null) return info === undefined
  return Math.abs(info.startedAt - child.startedAt) <= START_TOLERANCE_MS
}

export const isWriterAlive = (lease: Lease, ctx: LivenessContext): boolean => {
  if (lease.host !== ctx.host) return ctx.nowMs - lease.heartbeatAt <= ctx.staleAfterMs
  if (!processExists(lease.pid)) return false
  const info = procInfo(lease.pid)
  if (info === undefined) return true
  if (info.state === "Z" || info.state === "X") return false
  return Math.abs(info.startedAt - lease.processStartedAt) <= START_TOLERANCE_MS
}
