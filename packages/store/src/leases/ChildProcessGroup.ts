/**
 * Where a tool reports the process group of each child it runs (exec's `/bin/sh`, started in a
 * group of its own), so the writer's lease can name them all (steps run side by side): when the
 * writer is SIGKILLed, whoever finds the lease abandoned kills every group it names, and no tool
 * child outlives a killed `cratos`. Called with `running` true when the child starts and false
 * when it has ended.
 */
import { FiberRef } from "effect"

export type ReportChildGroup = (pgid: number, running: boolean) => void

export const ChildProcessGroup: FiberRef.FiberRef<ReportChildGroup> = FiberRef.unsafeMake<ReportChildGroup>(() => {})
