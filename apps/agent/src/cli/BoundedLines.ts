/**
 * The lines of a byte stream in bounded memory: a line longer than `maxBytes` is refused while it
 * is being read (its bytes are not kept past the cap), naming its number, instead of being
 * buffered whole as readline does (a 629 MB line crashed `cratos import` with a RangeError; a
 * 200 MB one took near 1 GB). Lines end at `\n`; a `\r` before it is dropped; the last line needs
 * no newline. Numbered from 1.
 */
import { Data } from "effect"

/** A line over the cap: its number and the cap. */
export class LineTooLong extends Data.TaggedError("LineTooLong")<{ readonly line: number; readonly maxBytes: number }> {
  override get message() {
    return `line ${this.line} is longer than ${formatBytes(this.maxBytes)}`
  }
}

const formatBytes = (n: number): string =>
  n % 1_048_576 === 0 ? `${n / 1_048_576} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`

export interface NumberedLine {
  readonly text: string
  readonly line: number
}

const NEWLINE = 0x0a

const decode = (parts: ReadonlyArray<Buffer>, length: number): string => {
  const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts as Array<Buffer>, length)
  const end = length > 0 && bytes[length - 1] === 0x0d ? length - 1 : length
  return bytes.toString("utf8", 0, end)
}

/**
 * Splits chunks into numbered lines, a batch per chunk read (the lines that chunk completed), so a
 * consumer pays its per-item overhead per batch rather than per line; throws
 * {@link LineTooLong} as soon as a line passes `maxBytes`.
 */
export async function* boundedLineBatches(
  chunks: AsyncIterable<Buffer | string>,
  maxBytes: number
): AsyncGenerator<ReadonlyArray<NumberedLine>> {
  let parts: Array<Buffer> = []
  let length = 0
  let line = 1
  for await (const raw of chunks) {
    const chunk = typeof raw === "string" ? Buffer.from(raw, "utf8") : raw
    const batch: Array<NumberedLine> = []
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(NEWLINE, start)
      const end = nl === -1 ? chunk.length : nl
      if (length + (end - start) > maxBytes) {
        if (batch.length > 0) yield batch
        throw new LineTooLong({ line, maxBytes })
      }
      if (end > start) {
        parts.push(chunk.subarray(start, end))
        length += end - start
      }
      if (nl === -1) break
      batch.push({ text: decode(parts, length), line })
      parts = []
      length = 0
      line++
      start = nl + 1
    }
    if (batch.length > 0) yield batch
  }
  if (length > 0) yield [{ text: decode(parts, length), line }]
}

/** The same lines one at a time. */
export async function* boundedLines(
  chunks: AsyncIterable<Buffer | string>,
  maxBytes: number
): AsyncGenerator<NumberedLine> {
  for await (const batch of boundedLineBatches(chunks, maxBytes)) yield* batch
}
