/** A minimal SSE reader over fetch for the tests: frames as they arrive, with the time each came. */
export interface SseFrame {
  readonly id: string | null
  readonly event: string | null
  readonly data: string
  readonly at: number
}

export interface SseReader {
  readonly status: number
  readonly frames: Array<SseFrame>
  /** Every `id:` the stream sent, in order, id-only frames too (what sets a browser's Last-Event-ID). */
  readonly ids: Array<string>
  /** Resolves with the first frame (at or after index `from`) that satisfies `p`. */
  readonly next: (p: (f: SseFrame) => boolean, timeoutMs?: number) => Promise<SseFrame>
  /** Resolves when the server closed the stream. */
  readonly closed: Promise<void>
  readonly cut: () => void
}

export const openSse = async (url: string, headers: Record<string, string>): Promise<SseReader> => {
  const controller = new AbortController()
  const r = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal })
  const frames: Array<SseFrame> = []
  const ids: Array<string> = []
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const w of waiters) w()
  }
  const closed = (async () => {
    if (r.body === null) return
    const decoder = new TextDecoder()
    let buffer = ""
    try {
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let end: number
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          let id: string | null = null
          let event: string | null = null
          const data: string[] = []
          for (const line of block.split("\n")) {
            if (line.startsWith("id: ")) id = line.slice(4)
            else if (line.startsWith("event: ")) event = line.slice(7)
            else if (line.startsWith("data: ")) data.push(line.slice(6))
          }
          if (id !== null) ids.push(id)
          if (event !== null || data.length > 0)
            frames.push({ id, event, data: data.join("\n"), at: performance.now() })
          notify()
        }
      }
    } catch {
      // cut by the test
    } finally {
      notify()
    }
  })()
  let done = false
  void closed.then(() => {
    done = true
    notify()
  })
  return {
    status: r.status,
    frames,
    ids,
    closed,
    cut: () => controller.abort(),
    next: (p, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const f = frames.find(p)
          if (f !== undefined) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(f)
          } else if (done) {
            waiters.delete(check)
            clearTimeout(timer)
            reject(new Error("the stream closed first"))
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no such frame within ${timeoutMs} ms`))
        }, timeoutMs)
        waiters.add(check)
        check()
      })
  }
}
