/**
 * maskString against the example strings of gitleaks' rules (issue 14): the true positives
 * (`tps`: each holds a secret its rule must find) must be masked, the false positives (`fps`:
 * look-alikes its rule must leave) left as they are. corpus.json is extracted by extract.mjs
 * from gitleaks' public repository (MIT, LICENSE-gitleaks); `GITLEAKS_MISSES=1` prints what was
 * missed or changed.
 */
import { maskString } from "@cratos/domain"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"

interface Example {
  readonly rule: string
  readonly kind: "tp" | "fp"
  readonly text: string
}

const corpus = JSON.parse(readFileSync(new URL("./corpus.json", import.meta.url), "utf8")) as {
  readonly commit: string
  readonly examples: ReadonlyArray<Example>
}

const tps = corpus.examples.filter((e) => e.kind === "tp")
const fps = corpus.examples.filter((e) => e.kind === "fp")
const changed = (e: Example) => maskString(e.text) !== e.text

const percent = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`

const show = (title: string, list: ReadonlyArray<Example>) => {
  if (process.env["GITLEAKS_MISSES"] === undefined || list.length === 0) return
  console.log(
    `${title}:\n${list.map((e) => `  [${e.rule}] ${JSON.stringify(e.text)} -> ${JSON.stringify(maskString(e.text))}`).join("\n")}`
  )
}

describe("maskString on gitleaks' rule examples", () => {
  it("masks at least 95% of the true positives", () => {
    const missed = tps.filter((e) => !changed(e))
    const masked = tps.length - missed.length
    console.log(
      `gitleaks ${corpus.commit.slice(0, 8)}: true positives masked ${masked} of ${tps.length} (${percent(masked, tps.length)})`
    )
    show("missed", missed)
    expect(masked / tps.length).toBeGreaterThanOrEqual(0.95)
  })

  it("changes at most 5% of the false-positive examples", () => {
    const hit = fps.filter(changed)
    console.log(
      `gitleaks ${corpus.commit.slice(0, 8)}: false positives changed ${hit.length} of ${fps.length} (${percent(hit.length, fps.length)})`
    )
    show("changed", hit)
    expect(hit.length / fps.length).toBeLessThanOrEqual(0.05)
  })
})
