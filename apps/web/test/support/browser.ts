/**
 * Debian's Chromium driven by playwright-core (no browser download): headless, no sandbox (CI
 * runs as root), no background traffic, a fresh profile directory per launch. Without the binary
 * the browser suites skip, after saying so in one loud line.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { type BrowserContext, chromium, type Page } from "playwright-core"

export const CHROMIUM = process.env["CRATOS_CHROMIUM"] ?? "/usr/bin/chromium"
export const hasChromium = existsSync(CHROMIUM)
if (!hasChromium) {
  console.error(
    `\n!!!!! BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium; .ci/run installs it) !!!!!\n`
  )
}

export const ARGS = [
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--no-sandbox"
]

export interface Browser {
  readonly context: BrowserContext
  readonly close: () => Promise<void>
}

/** A browser with a fresh profile (`--user-data-dir` is the new temporary directory). */
export const launch = async (): Promise<Browser> => {
  const profile = mkdtempSync(join(tmpdir(), "cratos-chromium-"))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    timezoneId: "Europe/Berlin",
    locale: "en-GB"
  })
  return {
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    }
  }
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: ReadonlyArray<string>
}

/** axe-core's WCAG 2 A/AA rules on the page as it is; the serious and critical violations. */
export const axe = async (page: Page): Promise<ReadonlyArray<AxeViolation>> => {
  await page.evaluate(axeSource)
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: unknown,
          opts: unknown
        ) => Promise<{
          violations: Array<{
            id: string
            impact: string | null
            help: string
            nodes: Array<{ target: Array<string> }>
          }>
        }>
      }
    }
    const result = await w.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }
    })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" "))
    }))
  })
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical")
}

/** The page's width beyond the viewport (0 when there is no sideways scrolling). */
export const overflowX = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test-results", "screenshots")

/** A full-page screenshot at a width, written under apps/web/test-results/screenshots. */
export const screenshot = async (page: Page, name: string, width: number): Promise<string> => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.setViewportSize({ width, height: width < 600 ? 812 : 900 })
  await page.waitForTimeout(250)
  const path = join(SCREENSHOTS, `${name}-${width}.png`)
  await page.screenshot({ path, fullPage: true })
  return path
}
