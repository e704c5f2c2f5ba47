/**
 * W5: masking throughput over realistic tool payloads (the fixtures' tool inputs and outputs),
 * in MB/s of their JSON text, beside JSON.stringify of the same payloads (the "ceiling": one
 * walk of the same values that any masker must at least match in work).
 *
 * `maskSecrets` is measured once `@cratos/domain` exports it (looked up at run time).
 */
import * as Domain from "@cratos/domain"
import { payloads } from "../fixtures.js"
import type { Timing } from "./append.js"

export type Masker = (value: unknown) => unknown

export const maskers = (): ReadonlyArray<{ readonly name: string; readonly fn: Masker }> => {
  const out: Array<{ name: string; fn: Masker }> = [{ name: "maskSensitive", fn: Domain.maskSensitive }]
  const secrets = (Domain as unknown as Record<string, unknown>)["maskSecrets"]
  if (typeof secrets === "function") out.push({ name: "maskSecrets", fn: (v) => (secrets as Masker)(v) })
  return out
}

export interface MaskCorpus {
  readonly values: ReadonlyArray<unknown>
  readonly bytes: number
}

export const corpus = (n: number): MaskCorpus => {
  const values = payloads(n)
  let bytes = 0
  for (const v of values) bytes += Buffer.byteLength(JSON.stringify(v), "utf8")
  return { values, bytes }
}

let sink = 0

/** `fn` over the corpus, repeated until at least `minMs` elapsed; `events` is the MB of JSON walked. */
export const throughput = (c: MaskCorpus, fn: (v: unknown) => unknown, minMs: number): Timing => {
  // Warm up (JIT) outside the measurement.
  for (let i = 0; i < Math.min(200, c.values.length); i++) fn(c.values[i])
  let reps = 0
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  let elapsed = 0
  do {
    for (const v of c.values) {
      const out = fn(v)
      if (out === undefined) sink++
    }
    reps++
    elapsed = performance.now() - t0
  } while (elapsed < minMs)
  const cpu = process.cpuUsage(c0)
  return { seconds: elapsed / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, events: (c.bytes * reps) / 1e6 }
}

export const stringify = (v: unknown): unknown => JSON.stringify(v)

export const sinkValue = () => sink
