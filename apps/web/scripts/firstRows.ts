/**
 * How long the list page takes to show its first rows on a given database, in the real browser:
 * `cratos serve --port 0 --db DB` and Debian's Chromium (the browser tests' harness and flags).
 *
 *   pnpm exec tsx apps/web/scripts/firstRows.ts DB [ROUNDS]
 *
 * Each time runs from the navigation (`page.goto`) to the first `tbody tr` of the list being
 * visible. Two cases: navigating `/` again and again in one tab, a second apart (a reload while
 * the previous page's live stream is being served), and opening one more list page while three
 * are already open (every open list page follows the whole-log stream). Also printed: how long
 * after the navigation the page says "● live" (its stream is open), and how long the list call
 * `GET /api/v1/executions` took as the browser saw it (request start to response end).
 * The web UI must be built (`pnpm build`).
 */
import type { Page } from "playwright-core"
import { launch } from "../test/support/browser.js"
import { serve } from "../test/support/cratos.js"

const db = process.argv[2]
if (db === undefined) throw new Error("usage: firstRows.ts DB [ROUNDS]")
const rounds = Number(process.argv[3] ?? "6")

const ROW = "[data-testid=executions] tbody tr"
const LIVE = ".live.on"

const timeTo = async (page: Page, url: string) => {
  const start = performance.now()
  await page.goto(url, { waitUntil: "commit" })
  await page.locator(ROW).first().waitFor({ state: "visible", timeout: 120_000 })
  const rows = performance.now() - start
  await page.locator(LIVE).waitFor({ state: "visible", timeout: 120_000 })
  const live = performance.now() - start
  // the list call's own time, as the browser saw it (request start to response end)
  const api = await page.evaluate(() => {
    const entry = performance.getEntriesByType("resource").find((e) => e.name.includes("/api/v1/executions")) as
      | PerformanceResourceTiming
      | undefined
    return entry === undefined ? Number.NaN : entry.responseEnd - entry.requestStart
  })
  return { rows, live, api }
}

interface Timing {
  readonly rows: number
  readonly live: number
  readonly api: number
}

const summary = (label: string, xs: ReadonlyArray<Timing>) => {
  const sorted = (k: keyof Timing) => xs.map((x) => x[k]).sort((a, b) => a - b)
  const f = (v: ReadonlyArray<number>) => v.map((x) => Math.round(x)).join(", ")
  const r = sorted("rows")
  console.log(
    `${label}: first rows ${f(r)} ms (median ${Math.round(r[r.length >> 1]!)}); live ${f(sorted("live"))} ms; ` +
      `list call ${f(sorted("api"))} ms`
  )
}

const server = await serve(db, 600_000)
const browser = await launch()
try {
  const page = await browser.context.newPage()
  await page.goto(server.loginLink)
  await page.locator(ROW).first().waitFor({ state: "visible", timeout: 120_000 })

  const again: Array<Timing> = []
  for (let i = 0; i < rounds; i++) {
    again.push(await timeTo(page, `${server.origin}/`))
    await page.waitForTimeout(1000)
  }
  summary("one tab, navigating / again", again)

  const others: Array<Page> = []
  for (let i = 0; i < 3; i++) {
    const other = await browser.context.newPage()
    await other.goto(`${server.origin}/`, { waitUntil: "commit" })
    others.push(other)
  }
  const crowded: Array<Timing> = []
  for (let i = 0; i < rounds; i++) {
    const extra = await browser.context.newPage()
    crowded.push(await timeTo(extra, `${server.origin}/`))
    await extra.close()
    for (const other of others) await other.reload({ waitUntil: "commit" })
  }
  summary("a fourth list page while three are open", crowded)
} finally {
  await browser.close()
  await server.stop()
}
