import { describe, expect, it } from "vitest"
import { POSITIVES } from "./corpus/positives.js"
import { NEGATIVES } from "./corpus/negatives.js"
import { maskSecrets } from "./index.js"

const text = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value))

describe("maskSecrets corpus", () => {
  it("has at least 200 positives and 200 negatives", () => {
    expect(POSITIVES.length).toBeGreaterThanOrEqual(200)
    expect(NEGATIVES.length).toBeGreaterThanOrEqual(200)
  })

  it("masks every planted secret and keeps the context readable (recall 100%)", () => {
    const missed: Array<string> = []
    const unreadable: Array<string> = []
    for (const c of POSITIVES) {
      const out = text(maskSecrets(c.input))
      const leaked = c.secrets.filter((s) => out.includes(s))
      if (leaked.length > 0) missed.push(`${c.name}\n    in:  ${text(c.input)}\n    out: ${out}`)
      const lost = c.keep.filter((k) => !out.includes(k))
      if (lost.length > 0) unreadable.push(`${c.name}: lost ${JSON.stringify(lost)}\n    out: ${out}`)
    }
    const recall = (POSITIVES.length - missed.length) / POSITIVES.length
    console.log(
      `maskSecrets corpus: ${POSITIVES.length} positives, recall ${(recall * 100).toFixed(1)}% ` +
        `(${missed.length} missed), context lost in ${unreadable.length}`
    )
    expect(missed).toEqual([])
    expect(unreadable).toEqual([])
  })

  it("leaves every negative unchanged (0 false positives)", () => {
    const changed: Array<string> = []
    for (const c of NEGATIVES) {
      const out = maskSecrets(c.input)
      if (JSON.stringify(out) !== JSON.stringify(c.input)) changed.push(`${c.name}\n    out: ${text(out)}`)
    }
    console.log(`maskSecrets corpus: ${NEGATIVES.length} negatives, ${changed.length} false positives`)
    expect(changed).toEqual([])
  })
})
