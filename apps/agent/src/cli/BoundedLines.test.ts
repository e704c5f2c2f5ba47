import { describe, expect, it } from "@effect/vitest"
import { boundedLineBatches, boundedLines, LineTooLong } from "./BoundedLines.js"

const collect = async (chunks: ReadonlyArray<string | Buffer>, max: number) => {
  const lines: Array<[number, string]> = []
  for await (const l of boundedLines(
    (async function* () {
      yield* chunks
    })(),
    max
  ))
    lines.push([l.line, l.text])
  return lines
}

describe("boundedLines", () => {
  it("splits lines across chunks, drops a CR before LF, keeps a last line without newline", async () => {
    expect(await collect(["a\r\nb", "c\n\nd"], 10)).toEqual([
      [1, "a"],
      [2, "bc"],
      [3, ""],
      [4, "d"]
    ])
  })

  it("keeps a multi-byte character split between chunks whole", async () => {
    const bytes = Buffer.from("é\n", "utf8")
    expect(await collect([bytes.subarray(0, 1), bytes.subarray(1)], 10)).toEqual([[1, "é"]])
  })

  it("refuses a line over the cap while reading it, naming the line, before the rest arrives", async () => {
    let pulled = 0
    const chunks = (async function* () {
      yield "ok\n"
      for (;;) {
        pulled++
        yield "x".repeat(1000)
      }
    })()
    const seen: Array<string> = []
    const error = await (async () => {
      try {
        for await (const l of boundedLines(chunks, 4096)) seen.push(l.text)
      } catch (e) {
        return e
      }
    })()
    expect(seen).toEqual(["ok"])
    expect(error).toBeInstanceOf(LineTooLong)
    expect((error as LineTooLong).message).toBe("line 2 is longer than 4 KiB")
    expect(pulled).toBe(5)
  })

  it("accepts a line of exactly the cap", async () => {
    expect(await collect(["abcd\n"], 4)).toEqual([[1, "abcd"]])
  })
})

describe("boundedLineBatches", () => {
  const batches = async (chunks: ReadonlyArray<string>, max: number) => {
    const out: Array<Array<string>> = []
    try {
      for await (const b of boundedLineBatches(
        (async function* () {
          yield* chunks
        })(),
        max
      ))
        out.push(b.map((l) => `${l.line}:${l.text}`))
    } catch (e) {
      out.push([String((e as Error).message)])
    }
    return out
  }

  it("gives the lines each chunk completes as one batch, numbered across batches", async () => {
    expect(await batches(["a\nb\nc", "d\ne\n", "f"], 10)).toEqual([["1:a", "2:b"], ["3:cd", "4:e"], ["5:f"]])
  })

  it("gives the lines before an over-cap line in the same chunk, then refuses it", async () => {
    expect(await batches(["a\nb\nxxxxxxxx", "x\nc\n"], 8)).toEqual([["1:a", "2:b"], ["line 3 is longer than 8 bytes"]])
  })
})
