/**
 * The maskers on one deeply nested value (`{ a: { a: … "token=sk-…" } }`, N levels), one call
 * each, wall ms: both walks turn iterative below 200 levels, and this is where their cost in the
 * depth shows (linear since the sixth session; quadratic before).
 *
 *   npx tsx bench/deepMasking.ts [levels=20000,100000,1000000]
 */
import { maskSecrets, maskSensitive } from "@cratos/domain"

const levels = (process.argv[2] ?? "20000,100000,1000000").split(",").map(Number)
for (const n of levels) {
  let value: unknown = "token=sk-deep-secret-0001"
  for (let i = 0; i < n; i++) value = { a: value }
  for (const [name, mask] of [
    ["maskSecrets", maskSecrets],
    ["maskSensitive", maskSensitive]
  ] as const) {
    const t = performance.now()
    mask(value)
    console.log(`${name.padEnd(14)} ${String(n).padStart(9)} levels  ${(performance.now() - t).toFixed(0)} ms`)
  }
}
