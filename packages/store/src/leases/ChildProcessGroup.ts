/**
 * Where a tool reports the process group of the child it runs now (exec's `/bin/sh`, started in a
 * group of its own), so the writer's lease can name it: when the writer is SIGKILLed, whoever
 * finds the lease abandoned kills that group, and no tool child outlives a killed `cratos`.
 * Called with the group id when the child starts and with `null` when it has ended.
 */
import { FiberRef } from "effect"

export const ChildProcessGroup: FiberRef.FiberRef<(pgid: number | null) => void> = FiberRef.unsafeMake<
  (pgid: number | null) => void
>(() => {})
