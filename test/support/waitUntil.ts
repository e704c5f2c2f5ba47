/**
 * Polls `ok` every 20 ms until it holds; fails naming `what` after `timeoutMs`. Resolves to the
 * milliseconds it waited (tests that measure a take-over report it).
 */
export const waitUntil = async (
  what: string,
  ok: () => boolean | Promise<boolean>,
  timeoutMs = 60_000
): Promise<number> => {
  const start = Date.now()
  while (!(await ok())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return Date.now() - start
}
