/**
 * Randomness at the edge: the domain takes ids as data (`Uuid.uuidV4FromBytes`), the agent
 * draws the bytes from this service (node:crypto by default; a test can give fixed bytes).
 */
import { randomBytes } from "node:crypto"
import { Context, Effect, Layer } from "effect"

export interface RandomBytesShape {
  readonly next: (size: number) => Effect.Effect<Uint8Array>
}

export class RandomBytes extends Context.Tag("@cratos/agent/RandomBytes")<RandomBytes, RandomBytesShape>() {
  /** Cryptographically strong bytes from node:crypto. */
  static readonly make: Effect.Effect<RandomBytesShape> = Effect.succeed({
    next: (size) => Effect.sync(() => new Uint8Array(randomBytes(size)))
  })

  static readonly layer: Layer.Layer<RandomBytes> = Layer.effect(RandomBytes, RandomBytes.make)

  /** Deterministic bytes (a counter), for tests. */
  static readonly layerCounter = (seed = 1): Layer.Layer<RandomBytes> =>
    Layer.sync(RandomBytes, () => {
      let n = seed
      return {
        next: (size) =>
          Effect.sync(() => {
            const out = new Uint8Array(size)
            for (let i = 0; i < size; i++) out[i] = (n + i * 31) & 0xff
            n++
            return out
          })
      }
    })
}
