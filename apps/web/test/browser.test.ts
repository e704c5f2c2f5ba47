/**
 * The UI in a real browser (Debian's Chromium through playwright-core) against the real
 * `cratos serve` on a temporary database filled by the real `cratos run`: login link, list,
 * timeline, plan graph, time travel, approving in the page while `cratos run --approve remote`
 * waits, live events, filters across a reload, no raw secret in anything the browser receives,
 * axe on every page, no sideways scrolling at 375 and 1440 px, and screenshots of each page.
 */
import { execFileSync } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { axe, type Browser, hasChromium, launch, overflowX, screenshot } from "./support/browser.js"
import { cratos, cratosBackground, ROOT, type Serve, serve } from "./support/cratos.js"

const SECRET = "Pl4ntedS3cretValue"
const WIDTHS = [1440, 375] as const

interface Shown {
  readonly execution: { readonly id: string; readonly status: string }
  readonly events: ReadonlyArray<{ readonly type: string }>
  readonly state?: { readonly status: string; readonly pending_approval: unknown }
}
const showJson = async (db: string, id: string, at?: number): Promise<Shown> =>
  JSON.parse(
    (await cratos(["show", id, "--db", db, "--json", ...(at === undefined ? [] : ["--at", String(at)])])).stdout
  ) as Shown
const runJson = async (db: string, ws: string, text: string, approve: string) =>
  (
    JSON.parse((await cratos(["run", text, "--db", db, "--workspace", ws, "--approve", approve, "--json"])).stdout) as {
      execution_id: string
    }
  ).execution_id

/** A 5,000-event execution as `cratos import` reads it (export lines). */
const bulkExport = (id: string): string => {
  const t0 = Date.UTC(2026, 0, 1, 9, 0, 0)
  const ts = (k: number) => new Date(t0 + k * 10).toISOString()
  const message = {
    type: "MessageReceived",
    message: {
      id: "0b5e0000-0000-4000-8000-000000000001",
      channel_type: "api",
      channel_id: "bulk",
      user_id: "bob",
      user_name: null,
      thread_id: null,
      message_id: "m",
      text: "many reads",
      attachments: [],
      timestamp: ts(0),
      is_reply: false,
      is_command: false,
      command: null,
      command_args: null
    },
    timestamp: ts(0)
  }
  const events: Array<unknown> = [
    message,
    {
      type: "PlanGenerated",
      plan: {
        goal: "many reads",
        steps: [{ description: "read", tool: "file_read", input: { path: "a" }, depends_on: [] }],
        estimated_risk: "Read",
        requires_approval: false
      },
      model_used: "bulk",
      tokens_used: 1,
      timestamp: ts(1)
    }
  ]
  for (let k = 0; events.length < 4998; k++) {
    events.push({
      type: "ToolInvoked",
      tool: "file_read",
      input: { path: `f${k}` },
      input_masked: { path: `f${k}` },
      timestamp: ts(events.length)
    })
    const result = { success: true, output: k, error: null }
    events.push({
      type: "ToolCompleted",
      tool: "file_read",
      output: result,
      output_masked: result,
      duration_ms: 3,
      timestamp: ts(events.length)
    })
  }
  events.push({
    type: "ErrorOccurred",
    error: "one read was slow",
    error_type: "Timeout",
    recoverable: true,
    timestamp: ts(events.length)
  })
  events.push({ type: "ResponseSent", text: "done", channel: "api", timestamp: ts(events.length) })
  return (
    events
      .map((event, position) => JSON.stringify({ execution_id: id, user_id: "bob", position: position + 1, event }))
      .join("\n") + "\n"
  )
}

describe.skipIf(!hasChromium)("web UI in Chromium", () => {
  let dir = ""
  let db = ""
  let ws = ""
  let server: Serve
  let browser: Browser
  let page: Page
  const received: Array<{ url: string; body: string }> = []
  const ids = { secret: "", plan: "", failed: "", rerun: "", bulk: "0b5e0000-0000-4000-8000-000000005000" }

  const watch = async (p: Page) => {
    // every response body, and every SSE message (their bodies never end while open)
    p.on("response", async (r) => {
      if ((r.headers()["content-type"] ?? "").includes("text/event-stream")) return
      const body = await r.text().catch(() => null)
      if (body !== null) received.push({ url: r.url(), body })
    })
    const cdp = await p.context().newCDPSession(p)
    await cdp.send("Network.enable")
    const urls = new Map<string, string>()
    cdp.on("Network.requestWillBeSent", (e) => urls.set(e.requestId, e.request.url))
    cdp.on("Network.eventSourceMessageReceived", (e) =>
      received.push({ url: `SSE ${urls.get(e.requestId) ?? "?"} (${e.eventName})`, body: e.data })
    )
    return p
  }
  const open = async () => watch(await browser.context.newPage())

  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, "apps/web/scripts/ensure-built.mjs")], { cwd: ROOT, stdio: "inherit" })
    dir = mkdtempSync(join(tmpdir(), "cratos-web-"))
    db = join(dir, "cratos.db")
    ws = join(dir, "ws")
    mkdirSync(ws)
    writeFileSync(
      join(ws, ".env"),
      `DATABASE_URL=postgres://app:${SECRET}99@db.internal:5432/app\nAPI_TOKEN=tok_${SECRET}77\n`
    )
    writeFileSync(join(ws, "notes.txt"), "hello notes\n")
    ids.secret = await runJson(db, ws, "read .env", "no")
    ids.plan = await runJson(db, ws, "read notes.txt and list . then write out.txt: done", "yes")
    ids.failed = await runJson(db, ws, "read missing.txt", "no")
    writeFileSync(join(ws, "missing.txt"), "found now\n")
    ids.rerun = (
      JSON.parse(
        (await cratos(["replay", ids.failed, "--mode", "rerun", "--db", db, "--workspace", ws, "--json"])).stdout
      ) as { execution_id: string }
    ).execution_id
    writeFileSync(join(dir, "bulk.jsonl"), bulkExport(ids.bulk))
    await cratos(["import", join(dir, "bulk.jsonl"), "--db", db])
    server = await serve(db)
    browser = await launch()
    page = await open()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    if (dir !== "") rmSync(dir, { recursive: true, force: true })
  })

  it("without a session the page says how to get the login link", async () => {
    await page.goto(server.origin + "/")
    await expect.poll(() => page.locator("[role=alert]").innerText(), { timeout: 10_000 }).toContain("cratos serve")
  })

  it("the login link sets an HttpOnly session cookie and leaves the token out of the address", async () => {
    await page.goto(server.loginLink)
    await page.waitForURL((u) => u.pathname === "/" && !u.search.includes("token"))
    const cookies = await browser.context.cookies(server.origin)
    expect(cookies.length).toBeGreaterThan(0)
    expect(cookies.every((c) => c.httpOnly && c.sameSite === "Strict")).toBe(true)
  })

  it("the list shows each execution cratos run made, newest first, with its status", async () => {
    await page.goto(server.origin + "/")
    const rows = page.locator("[data-testid=executions] tbody tr")
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(5)
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id")))).toEqual([
      ids.rerun,
      ids.failed,
      ids.plan,
      ids.secret,
      ids.bulk
    ])
    expect(await rows.first().locator(".badge").first().innerText()).toContain("completed")
    expect(await page.locator(`tr[data-id="${ids.plan}"]`).innerText()).toContain(
      "read notes.txt and list . then write out.txt: done"
    )
  })

  it("the list's call leaves while the bundle is still being evaluated, and only the list's JavaScript is loaded", async () => {
    // without the live stream here: its opening reloads the list, a second call this test does not count
    await page.route("**/api/v1/events?**", (route) => route.abort())
    await page.goto(server.origin + "/?status=completed")
    await page.locator("[data-testid=executions] tbody tr").first().waitFor()
    await page.unroute("**/api/v1/events?**")
    const timing = await page.evaluate(() => {
      const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming
      const resources = performance.getEntriesByType("resource") as Array<PerformanceResourceTiming>
      const list = resources.filter((e) => new URL(e.name).pathname === "/api/v1/executions")
      return {
        domContentLoaded: nav.domContentLoadedEventStart,
        listCalls: list.map((e) => ({ url: e.name, start: e.startTime })),
        scripts: resources.filter((e) => e.name.endsWith(".js")).map((e) => new URL(e.name).pathname)
      }
    })
    // started by api/early.ts, the first module the bundle runs: module scripts end before
    // DOMContentLoaded, the page's own render (and a call made from it) only after
    expect(timing.listCalls).toHaveLength(1)
    expect(timing.listCalls[0]!.url).toContain("status=completed")
    expect(timing.listCalls[0]!.start).toBeLessThan(timing.domContentLoaded)
    // the other pages (and Chart.js, dagre, the virtualizer) are chunks of their own, loaded on a visit
    expect(timing.scripts).toHaveLength(1)
    expect(timing.scripts[0]).toMatch(/^\/assets\/index-[\w-]+\.js$/)
  })

  it("an execution's timeline has the CLI's rows in store order, and the plan graph a node per step", async () => {
    const shown = await showJson(db, ids.plan)
    const cli = (await cratos(["show", ids.plan, "--db", db])).stdout
      .split("\n")
      .filter((l) => /^\[\d\d:\d\d\]/.test(l))
    await page.goto(`${server.origin}/executions/${ids.plan}`)
    const rows = page.locator("[data-testid=timeline] li")
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(shown.events.length)
    expect(await rows.evaluateAll((lis) => lis.map((li) => li.getAttribute("data-type")))).toEqual(
      shown.events.map((e) => e.type)
    )
    const texts = await page
      .locator("[data-testid=timeline] .row-head")
      .evaluateAll((bs) =>
        bs.map(
          (b) =>
            `${b.querySelector(".elapsed")!.textContent} ${b.querySelector(".icon")!.textContent} ${b.querySelector(".summary")!.textContent}`
        )
      )
    expect(texts).toEqual(cli)
    const plan = (
      shown.events.find((e) => e.type === "PlanGenerated") as unknown as {
        plan: { steps: Array<{ depends_on: Array<number> }> }
      }
    ).plan
    expect(await page.locator("[data-testid=plan-graph] g.node").count()).toBe(plan.steps.length)
    expect(await page.locator("[data-testid=plan-graph] path.edge").count()).toBe(
      plan.steps.reduce((n, s) => n + s.depends_on.length, 0)
    )
    expect(
      await page
        .locator("[data-testid=plan-graph] g.node")
        .evaluateAll((gs) => gs.map((g) => g.getAttribute("data-outcome")))
    ).toEqual(["succeeded", "succeeded", "succeeded"])
    // a row opens to its masked JSON, which its copy button puts on the clipboard
    await rows.nth(1).locator("button.row-head").click()
    const json = await rows.nth(1).locator("pre").innerText()
    expect(json).toContain('"PlanGenerated"')
    // what the page hands to the clipboard API (headless Chromium's clipboard needs a focused window)
    await page.evaluate(() => {
      const w = window as unknown as { copied: Array<string> }
      w.copied = []
      navigator.clipboard.writeText = async (text: string) => void w.copied.push(text)
    })
    // by the keyboard (the opened row sits in the virtual scroller, re-measured as it opens)
    await rows.nth(1).getByRole("button", { name: /^Copy/ }).focus()
    await page.keyboard.press("Enter")
    await expect.poll(() => rows.nth(1).locator("button.copy").innerText()).toBe("Copied")
    const copied = await page.evaluate(() => (window as unknown as { copied: Array<string> }).copied)
    expect(copied).toHaveLength(1)
    expect(JSON.parse(copied[0]!)).toEqual(JSON.parse(json))
    // the waterfall: a bar per tool call, on one time axis, each as long as the call took
    const invoked = shown.events.filter((e) => e.type === "ToolInvoked").length
    const bars = page.locator("[data-testid=waterfall] .bar")
    expect(invoked).toBeGreaterThan(0)
    expect(await bars.count()).toBe(invoked)
    expect(await bars.evaluateAll((els) => els.every((el) => el.getBoundingClientRect().width > 0))).toBe(true)
  }, 60_000)

  it("time travel to N shows the state after N events, as `cratos show --at N` reports it", async () => {
    const shown = await showJson(db, ids.plan)
    const n = shown.events.findIndex((e) => e.type === "ApprovalRequested") + 1
    const cli = await showJson(db, ids.plan, n)
    await page.goto(`${server.origin}/executions/${ids.plan}`)
    await expect
      .poll(() => page.locator("[data-testid=timeline] li").count(), { timeout: 10_000 })
      .toBe(shown.events.length)
    const slider = page.locator("[data-testid=travel]")
    await slider.focus()
    await page.keyboard.press("Home")
    for (let i = 0; i < n; i++) await page.keyboard.press("ArrowRight")
    const state = page.locator(`[data-testid=state][data-at="${n}"]`)
    await expect
      .poll(() => state.locator("[data-testid=state-status]").innerText(), { timeout: 10_000 })
      .toContain(cli.state!.status)
    expect(await state.locator("[data-testid=state-approval]").innerText()).toContain("file_write")
    expect(cli.state!.pending_approval).not.toBeNull()
    expect(await page.locator("[data-testid=timeline] li.future").count()).toBe(shown.events.length - n)
    // the plan graph shows the step that waits
    expect(await page.locator('[data-testid=plan-graph] g.node[data-outcome="awaiting approval"]').count()).toBe(1)
    await page.keyboard.press("End")
    await expect.poll(() => page.locator("[data-testid=timeline] li.future").count()).toBe(0)
  })

  it("approving in the page lets a waiting `cratos run --approve remote` finish, and its events appear live", async () => {
    const run = cratosBackground([
      "run",
      "write live.txt: hello",
      "--db",
      db,
      "--workspace",
      ws,
      "--approve",
      "remote",
      "--json"
    ])
    try {
      let id = ""
      await expect
        .poll(
          async () => {
            const r = await page.request.get(`${server.origin}/api/v1/approvals`)
            const items = ((await r.json()) as { items: Array<{ execution_id: string }> }).items
            id = items[0]?.execution_id ?? ""
            return id
          },
          { timeout: 60_000, interval: 250 }
        )
        .not.toBe("")
      const list = await open()
      await list.goto(server.origin + "/")
      const follow = await open()
      await follow.goto(`${server.origin}/executions/${id}`)
      await expect
        .poll(() => follow.locator('[data-testid=timeline] li[data-type="ApprovalRequested"]').count(), {
          timeout: 10_000
        })
        .toBe(1)
      await follow.evaluate(() => ((window as unknown as { marker: number }).marker = 42))
      await page.goto(server.origin + "/approvals")
      const card = page.locator(`article[data-execution="${id}"]`)
      await card.locator("textarea").fill("ok, go ahead")
      for (const width of WIDTHS) await screenshot(page, "approvals-pending", width)
      await card.getByRole("button", { name: "Approve" }).click()
      expect(await run.exit).toBe(0)
      // without a reload: the execution's page got the rest of the events, the list the new row
      await expect
        .poll(() => follow.locator('[data-testid=timeline] li[data-type="ResponseSent"]').count(), { timeout: 10_000 })
        .toBe(1)
      expect(await follow.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42)
      expect(await follow.locator('[data-testid=timeline] li[data-type="ApprovalReceived"]').innerText()).toContain(
        "ok, go ahead"
      )
      await expect
        .poll(() => list.locator(`[data-testid=executions] tr[data-id="${id}"]`).count(), { timeout: 10_000 })
        .toBe(1)
      await expect.poll(() => page.locator("[data-testid=no-approvals]").count(), { timeout: 10_000 }).toBe(1)
      await list.close()
      await follow.close()
    } finally {
      run.child.kill("SIGKILL")
    }
  }, 120_000)

  it("a rerun and its original link to each other (as the log records it, not by search) and compare side by side", async () => {
    const calls: Array<string> = []
    const record = (r: { url: () => string }) => calls.push(new URL(r.url()).pathname + new URL(r.url()).search)
    page.on("request", record)
    await page.goto(`${server.origin}/executions/${ids.rerun}`)
    const relations = page.locator("[data-testid=relations]")
    await expect.poll(() => relations.innerText(), { timeout: 15_000 }).toContain(`Rerun of ${ids.failed.slice(0, 8)}`)
    const original = await showJson(db, ids.failed)
    expect(await relations.innerText()).toContain(`(${original.execution.status}, compare)`)
    page.off("request", record)
    expect(calls).toContain(`/api/v1/executions/${ids.rerun}/reruns`)
    expect(calls.filter((c) => c.startsWith("/api/v1/executions?"))).toEqual([])
    await page.goto(`${server.origin}/executions/${ids.failed}`)
    await expect.poll(() => relations.innerText(), { timeout: 15_000 }).toContain(`Rerun: ${ids.rerun.slice(0, 8)}`)
    await relations.getByRole("link", { name: "compare" }).click()
    const sides = page.locator("[data-testid=compare] section.side")
    await expect.poll(() => sides.count(), { timeout: 10_000 }).toBe(2)
    await expect.poll(() => sides.nth(0).locator(".steps li").innerText(), { timeout: 10_000 }).toContain("failed")
    expect(await sides.nth(1).locator(".steps li").innerText()).toContain("succeeded")
    for (const width of WIDTHS) await screenshot(page, "compare", width)
  })

  it("filters live in the address and survive a reload", async () => {
    await page.goto(server.origin + "/")
    await page.selectOption("select[name=status]", "completed")
    await page.fill("input[name=search]", "notes")
    await page.getByRole("button", { name: "Apply" }).click()
    await page.waitForURL(
      (u) => u.searchParams.get("status") === "completed" && u.searchParams.get("search") === "notes"
    )
    await page.reload()
    expect(await page.inputValue("select[name=status]")).toBe("completed")
    expect(await page.inputValue("input[name=search]")).toBe("notes")
    const rows = page.locator("[data-testid=executions] tbody tr")
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-id"))), { timeout: 10_000 })
      .toEqual([ids.plan])
  })

  it("each page passes axe (no serious or critical violation), fits 375 and 1440 px without sideways scrolling, and is screenshotted", async () => {
    const pages: ReadonlyArray<readonly [string, string, string]> = [
      ["executions", "/", "[data-testid=executions]"],
      ["execution", `/executions/${ids.plan}`, "[data-testid=plan-graph]"],
      ["execution-failed", `/executions/${ids.failed}`, "[data-testid=timeline]"],
      ["execution-secret", `/executions/${ids.secret}`, "[data-testid=timeline]"],
      ["compare", `/executions/${ids.failed}?compare=${ids.rerun}`, "[data-testid=compare] .steps"],
      ["approvals", "/approvals", "h1"],
      ["stats", "/stats", "[data-testid=chart-calls]"]
    ]
    const problems: Array<string> = []
    for (const [name, path, ready] of pages) {
      await page.goto(server.origin + path)
      await page.locator(ready).first().waitFor({ timeout: 10_000 })
      await page.waitForTimeout(300)
      for (const width of WIDTHS) {
        await screenshot(page, name, width)
        const over = await overflowX(page)
        if (over > 0) problems.push(`${name} at ${width}px scrolls sideways by ${over}px`)
        for (const v of await axe(page))
          problems.push(`${name} at ${width}px: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(", ")}`)
      }
    }
    const colours = () =>
      page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color])
    const light = await colours()
    await page.emulateMedia({ colorScheme: "dark" })
    await page.goto(`${server.origin}/executions/${ids.plan}`)
    await page.locator("[data-testid=plan-graph]").waitFor()
    await screenshot(page, "execution-dark", 1440)
    for (const v of await axe(page)) problems.push(`dark: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(", ")}`)
    // prefers-color-scheme: dark changes both the background and the text
    const dark = await colours()
    expect(dark[0]).not.toBe(light[0])
    expect(dark[1]).not.toBe(light[1])
    await page.emulateMedia({ colorScheme: "light" })
    expect(problems).toEqual([])
  }, 120_000)

  it("the stats page charts every execution by status over time: its numbers per status are the totals", async () => {
    await page.goto(server.origin + "/stats?range=all")
    const chart = page.locator("[data-testid=chart-status]")
    await chart.locator("tbody tr").first().waitFor({ state: "attached" })
    // the chart's table: a row per day, a column per status (in the domain's order)
    const columns = await chart.locator("thead th").evaluateAll((ths) => ths.slice(1).map((th) => th.textContent))
    const cells = await chart
      .locator("tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => Number(td.textContent))))
    const charted = Object.fromEntries(columns.map((c, i) => [c, cells.reduce((n, row) => n + row[i]!, 0)]))
    const totals = (await page.evaluate(() => fetch("/api/v1/stats").then((r) => r.json()))) as {
      executions_by_status: Record<string, number>
    }
    expect(charted).toEqual(totals.executions_by_status)
    // the bulk import of 2026-01-01 and today's runs: both ends of the range are in it
    expect(Object.values(charted).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5)
    expect(cells.length).toBeGreaterThan(1)
  })

  it("the keyboard reaches the navigation and the timeline with a visible focus ring", async () => {
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(`${server.origin}/executions/${ids.plan}`)
    await page.locator("[data-testid=timeline] li").first().waitFor()
    await page.keyboard.press("Tab")
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content")
    const reached = new Set<string>()
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press("Tab")
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null
        if (el === null) return null
        const style = getComputedStyle(el)
        const ring = el.closest("svg") === null ? style.outlineStyle !== "none" && style.outlineWidth !== "0px" : true
        return {
          kind: el.matches(".row-head")
            ? "row"
            : el.matches("g.node")
              ? "step"
              : el.matches("nav a")
                ? "nav"
                : el.tagName,
          ring
        }
      })
      if (focus !== null && focus.kind !== "BODY") {
        reached.add(focus.kind)
        expect(focus.ring, `${focus.kind} shows focus`).toBe(true)
      }
    }
    expect([...reached]).toEqual(expect.arrayContaining(["nav", "step", "row"]))
  })

  it("the times show in the browser's zone with the exact UTC instant on hover", async () => {
    await page.goto(server.origin + "/")
    const time = page.locator("[data-testid=executions] time").first()
    await time.waitFor()
    const iso = (await time.getAttribute("datetime"))!
    expect(await time.getAttribute("title")).toBe(`${iso} (UTC)`)
    expect(await time.innerText()).not.toContain("Z")
  })

  it("a 5,000-event timeline keeps only the rows in view in the DOM and scrolls to its end", async () => {
    const id = ids.bulk
    await page.goto(`${server.origin}/executions/${id}`)
    const timeline = page.locator("[data-testid=timeline]")
    await expect.poll(() => timeline.getAttribute("data-count"), { timeout: 30_000 }).toBe("5000")
    const inDom = await timeline.locator("li").count()
    expect(inDom).toBeLessThan(100)
    // scroll from top to bottom in 60 animation frames, timing each frame; the same number of
    // frames with nothing to do first, as this machine's floor
    const [idle, frames] = await timeline.evaluate(async (el) => {
      const run = async (step: (f: number) => void) => {
        const times: Array<number> = []
        let last = performance.now()
        for (let f = 1; f <= 60; f++) {
          step(f)
          await new Promise((r) => requestAnimationFrame(() => r(undefined)))
          const now = performance.now()
          times.push(now - last)
          last = now
        }
        return times.sort((a, b) => a - b)
      }
      const height = el.scrollHeight
      return [await run(() => undefined), await run((f) => (el.scrollTop = (height * f) / 60))]
    })
    await expect.poll(() => timeline.locator('li[data-index="4999"]').count()).toBe(1)
    // an error row says its type and whether it was recoverable
    expect(await timeline.locator('li[data-index="4998"]').getAttribute("data-type")).toBe("ErrorOccurred")
    expect(await timeline.locator('li[data-index="4998"] .err').innerText()).toBe("Timeout · recoverable")
    console.log(
      `web: 5,000-event timeline: ${inDom} rows in the DOM; scroll frames p50 ${frames[29]!.toFixed(1)} ms, ` +
        `p95 ${frames[56]!.toFixed(1)} ms, max ${frames[59]!.toFixed(1)} ms; idle frames p50 ${idle[29]!.toFixed(1)} ms, ` +
        `p95 ${idle[56]!.toFixed(1)} ms (headless Chromium without GPU, shared 2-core machine)`
    )
  }, 120_000)

  it("no response the browser received holds a raw secret", () => {
    // the .env execution's masked copies were received (the check saw what it must see)
    expect(received.some((r) => r.body.includes("***MASKED***"))).toBe(true)
    const leaks = [
      ...new Set(received.filter((r) => r.body.includes(SECRET)).map((r) => r.url.replace(server.origin, "")))
    ]
    expect(leaks, "responses holding the planted secret (only masked copies may reach the browser)").toEqual([])
  })
})
