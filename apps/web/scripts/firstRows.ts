/**
 * How long the list page takes to show its first rows on a given database, in the real browser:
 * `cratos serve --port 0 --db DB` and Debian's Chromium (the browser tests' harness and flags).
 *
 *   pnpm exec tsx apps/web/scripts/firstRows.ts DB [ROUNDS] [--compare DIST]
 *
 * Each time runs from the navigation (`page.goto`) to the first `tbody tr` of the list being
 * visible ("first rows", as the test driver sees it), and, measured inside the page, from the
 * navigation's start (`performance.timeOrigin`) to the moment the first row is inserted
 * ("in page", a MutationObserver installed before the page's own scripts). Two cases:
 * navigating `/` again and again in one tab, a second apart (a reload while the previous page's
 * live stream is being served), and opening one more list page while three are already open
 * (every open list page follows the whole-log stream). Also printed: how long after the
 * navigation the page says "● live" (its stream is open), and how long the list call
 * `GET /api/v1/executions` took as the browser saw it (request start to response end).
 *
 * `--compare DIST`: a second `cratos serve --web DIST` of the same database (another build of
 * the UI, e.g. the one before a change), measured in the same run, navigations alternating
 * between the two, so both see the same load on the machine.
 * The web UI must be built (`pnpm build`).
 */
import type { BrowserContext, Page } from "playwright-core"
import { launch } from "../test/support/browser.js"
import { type Serve, serve } from "../test/support/cratos.js"

const args = process.argv.slice(2)
const compareAt = args.indexOf("--compare")
const compare = compareAt === -1 ? undefined : args.splice(compareAt, 2)[1]
const db = args[0]
if (db === undefined) throw new Error("usage: firstRows.ts DB [ROUNDS] [--compare DIST]")
const rounds = Number(args[1] ?? "6")

const ROW = "[data-testid=executions] tbody tr"
const LIVE = ".live.on"

/** In every page, before its scripts: the time (ms after the navigation's start) of the first list row. */
const FIRST_ROW_OBSERVER = `(() => {
  const seen = () => document.querySelector(${JSON.stringify(ROW)}) !== null
  new MutationObserver((_, observer) => {
    if (seen()) { window.__firstRow = performance.now(); observer.disconnect() }
  }).observe(document, { childList: true, subtree: true })
})()`

interface Timing {
  readonly rows: number
  readonly inPage: number
  readonly live: number
  readonly api: number
}

const timeTo = async (page: Page, url: string): Promise<Timing> => {
  const start = performance.now()
  await page.goto(url, { waitUntil: "commit" })
  await page.locator(ROW).first().waitFor({ state: "visible", timeout: 120_000 })
  const rows = performance.now() - start
  await page.locator(LIVE).waitFor({ state: "visible", timeout: 120_000 })
  const live = performance.now() - start
  // a string, not a function: tsx's helpers are not defined in the page
  const { api, inPage } = (await page.evaluate(`(() => {
    const entry = performance.getEntriesByType("resource").find((e) => e.name.includes("/api/v1/executions"))
    return {
      api: entry === undefined ? NaN : entry.responseEnd - entry.requestStart,
      inPage: window.__firstRow === undefined ? NaN : window.__firstRow
    }
  })()`)) as { api: number; inPage: number }
  return { rows, inPage, live, api }
}

const median = (v: ReadonlyArray<number>) => v[v.length >> 1]!
const summary = (label: string, xs: ReadonlyArray<Timing>) => {
  const sorted = (k: keyof Timing) => xs.map((x) => x[k]).sort((a, b) => a - b)
  const f = (v: ReadonlyArray<number>) => v.map((x) => Math.round(x)).join(", ")
  const r = sorted("rows")
  const p = sorted("inPage")
  console.log(
    `${label}: first rows ${f(r)} ms (median ${Math.round(median(r))}); in page ${f(p)} ms (median ${Math.round(median(p))}); ` +
      `live ${f(sorted("live"))} ms; list call ${f(sorted("api"))} ms`
  )
}

const loggedIn = async (context: BrowserContext, server: Serve) => {
  const page = await context.newPage()
  await page.goto(server.loginLink)
  await page.locator(ROW).first().waitFor({ state: "visible", timeout: 120_000 })
  return page
}

const servers: Array<{ readonly label: string; readonly server: Serve }> = [
  { label: compare === undefined ? "" : "this build", server: await serve(db, 600_000) }
]
if (compare !== undefined) {
  // named `localhost`: cookies are per host, not per port, so each server keeps its own session
  const other = await serve(db, 600_000, ["--web", compare])
  const host = (url: string) => url.replace("//127.0.0.1:", "//localhost:")
  servers.push({
    label: `--web ${compare}`,
    server: { ...other, origin: host(other.origin), loginLink: host(other.loginLink) }
  })
}
const browser = await launch()
try {
  await browser.context.addInitScript(FIRST_ROW_OBSERVER)
  const tabs = await Promise.all(servers.map((s) => loggedIn(browser.context, s.server)))

  const again = servers.map(() => [] as Array<Timing>)
  for (let i = 0; i < rounds; i++) {
    for (const [k, s] of servers.entries()) {
      again[k]!.push(await timeTo(tabs[k]!, `${s.server.origin}/`))
      await tabs[k]!.waitForTimeout(1000)
    }
  }
  for (const [k, s] of servers.entries())
    summary(`one tab, navigating / again${s.label ? ` (${s.label})` : ""}`, again[k]!)

  for (const s of servers) {
    const others: Array<Page> = []
    for (let i = 0; i < 3; i++) {
      const other = await browser.context.newPage()
      await other.goto(`${s.server.origin}/`, { waitUntil: "commit" })
      others.push(other)
    }
    const crowded: Array<Timing> = []
    for (let i = 0; i < rounds; i++) {
      const extra = await browser.context.newPage()
      crowded.push(await timeTo(extra, `${s.server.origin}/`))
      await extra.close()
      for (const other of others) await other.reload({ waitUntil: "commit" })
    }
    for (const other of others) await other.close()
    summary(`a fourth list page while three are open${s.label ? ` (${s.label})` : ""}`, crowded)
  }
} finally {
  await browser.close()
  for (const s of servers) await s.server.stop()
}
