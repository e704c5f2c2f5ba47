/**
 * A masker on a circular value (issue #7, hostile values): run in a child process with a 64 MB
 * heap, so a masker that walks forever dies in seconds instead of taking the run down. The
 * rest of the hostile values are in test/reliability/hostileValues.test.ts.
 */
import * as domain from "@cratos/domain"
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { describe, expect, it } from "vitest"
import { repoRoot } from "./children.js"

const runMasker = (name: string) =>
  spawnSync(
    process.execPath,
    ["--max-old-space-size=64", "--import", "tsx", path.join(repoRoot, "test/faults/maskChild.ts"), name],
    {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 60_000
    }
  )

const hasMaskSecrets = typeof (domain as unknown as Record<string, unknown>)["maskSecrets"] === "function"

describe("maskers on a circular value", () => {
  it.runIf(hasMaskSecrets)("maskSecrets returns, with its CIRCULAR placeholder and the secret masked", () => {
    const r = runMasker("maskSecrets")
    expect(r.status, r.stderr.slice(0, 300)).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true })
    expect(r.stdout).not.toContain("hunter2")
    console.log(
      `maskers on a circular value: maskSecrets returned (${(JSON.parse(r.stdout) as { result: string }).result.length} chars, secret masked)`
    )
  })

  // Found by this test: maskSensitive used to walk a circular value until the heap ran out
  // (about 6 minutes with the default heap, 7 s with 64 MB). It now replaces a reference back
  // to an ancestor with "[Circular]".
  it("maskSensitive returns (or fails with a typed error) instead of exhausting the heap", () => {
    const r = runMasker("maskSensitive")
    expect(r.status, r.stderr.slice(0, 300)).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true })
  })
})
