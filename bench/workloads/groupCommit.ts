/** W1g: group commit (stretch); measured once packages/store exports a GroupCommit layer. */
import type { Timing } from "./append.js"

export const FIBERS = 64
export const available = (): boolean => false
export const run = async (_executions: number): Promise<Timing> => {
  throw new Error("group commit is not built")
}
