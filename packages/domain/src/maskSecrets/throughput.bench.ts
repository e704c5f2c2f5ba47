/**
 * Throughput of maskSecrets against JSON.stringify on realistic tool payloads (~420 bytes: a
 * command, headers, paths, a body), without and with secrets in one payload of five.
 * Run with `pnpm exec vitest bench packages/domain/src/maskSecrets`; the target is at
 * least 0.5x the throughput of JSON.stringify.
 */
import { bench, describe } from "vitest"
import { maskSensitive } from "../maskSensitive.js"
import { maskSecrets } from "./index.js"

const commands = [
  "npm test -- --run packages/domain",
  "git status --short",
  "ls -la /home/user/project/src",
  "rg -n 'TODO' src/",
  "cat package.json | jq .dependencies",
  "pnpm exec tsc -b",
  "curl -s https://api.example.com/v1/items?page=2"
]
const paths = ["/home/user/project/src/index.ts", "/home/user/project/src/auth/session.ts", "/tmp/build/output.log"]

const payload = (i: number, secret: boolean) => ({
  tool: "shell",
  call_id: `call_${i.toString(16).padStart(8, "0")}`,
  input: {
    cmd: secret
      ? `curl -H 'Authorization: Bearer abcDEF123456ghiJKL${i}' https://api.example.com/v1/items?api_key=k${i}x9`
      : commands[i % commands.length],
    cwd: paths[i % paths.length],
    headers: { "Content-Type": "application/json", Accept: "*/*", "User-Agent": "cratos/0.1" },
    files: [paths[(i + 1) % paths.length], paths[(i + 2) % paths.length]],
    body: { query: "list open issues assigned to me", limit: 20, offset: i % 7, labels: ["bug", "p1"] },
    timeout_ms: 30000
  },
  risk: "low"
})

const clean = Array.from({ length: 1000 }, (_, i) => payload(i, false))
const mixed = Array.from({ length: 1000 }, (_, i) => payload(i, i % 5 === 0))

for (const [name, payloads] of [
  ["no secrets", clean],
  ["1 in 5 with secrets", mixed]
] as const) {
  describe(`1000 tool payloads, ${name}`, () => {
    bench("JSON.stringify", () => {
      for (const p of payloads) JSON.stringify(p)
    })
    bench("maskSensitive (seed)", () => {
      for (const p of payloads) maskSensitive(p)
    })
    bench("maskSecrets", () => {
      for (const p of payloads) maskSecrets(p)
    })
  })
}
