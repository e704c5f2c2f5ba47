/**
 * A child process of maskCircular.test.ts: runs one masker on a circular value, in a process
 * with a small heap so a masker that walks forever dies fast instead of taking the test run
 * down. Prints `{"ok":true,"result":…}` when the masker returned.
 *
 *   node --max-old-space-size=64 --import tsx test/faults/maskChild.ts <maskSensitive|maskSecrets>
 */
import * as domain from "@cratos/domain"

const which = process.argv[2] ?? "maskSensitive"
const mask = (domain as unknown as Record<string, unknown>)[which]
if (typeof mask !== "function") {
  process.stdout.write(JSON.stringify({ ok: false, missing: which }) + "\n")
  process.exit(0)
}
const value: Record<string, unknown> = { name: "loop", password: "hunter2" }
value["self"] = value
value["list"] = [value, { back: value }]
try {
  const out = (mask as (v: unknown) => unknown)(value)
  // The result must be printable: a circular result would fail here.
  process.stdout.write(JSON.stringify({ ok: true, result: JSON.stringify(out).slice(0, 200) }) + "\n")
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, threw: String(e).slice(0, 200) }) + "\n")
}
