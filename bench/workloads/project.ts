/**
 * W4: the projector catching up from position 0 over the whole log (status + summary), and its
 * ceiling; `list --user` latency through the ReadModel; the projector's peak RSS in a child.
 */
import { ReadModel } from "@cratos/projector"
import { Effect } from "effect"
import { USERS } from "../fixtures.js"
import { openRaw } from "../lib/db.js"
import { type Latency, latencyOf, random } from "./read.js"
import type { Timing } from "./append.js"

export interface RssResult {
  readonly events: number
  readonly maxRssMb: number
  readonly baselineRssMb: number
  readonly seconds: number
}

export const available = (): boolean => false

export const unavailableNote = () => "W4: the projector's catch-up API has not landed yet; not measured."

export const store = async (_file: string): Promise<Timing> => {
  throw new Error(unavailableNote())
}

export const ceiling = async (_file: string): Promise<Timing> => {
  throw new Error(unavailableNote())
}

export const rssOfCatchUp = async (_file: string): Promise<RssResult> => {
  throw new Error(unavailableNote())
}

/** `ReadModel.list({ user })` (the CLI's `list --user`), one Effect run per call, random users. */
export const listLatency = async (file: string, samples: number): Promise<{ what: string; latency: Latency }> => {
  const { db, close } = await openRaw(file)
  const rm = ReadModel.make(db, { path: file })
  const next = random(7)
  const user = () => `user-${Math.floor(next() * USERS)}`
  for (let i = 0; i < 50; i++) Effect.runSync(rm.list({ user: user() }))
  const ms: Array<number> = []
  for (let i = 0; i < samples; i++) {
    const u = user()
    const t0 = performance.now()
    const rows = Effect.runSync(rm.list({ user: u }))
    ms.push(performance.now() - t0)
    if (rows.length === 0) throw new Error(`list --user ${u} returned nothing`)
  }
  await close()
  return { what: "list --user (ReadModel.list, limit 50)", latency: latencyOf(ms) }
}
