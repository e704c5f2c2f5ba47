import * as fs from "node:fs"

/**
 * Writes one JSON line to stdout synchronously, retrying on EAGAIN (a non-blocking pipe), so a
 * line a child reports is whole on the pipe before the child goes on: a parent that kills it
 * right after reading an acknowledgement never loses one.
 */
export const writeLine = (value: unknown): void => {
  const buf = Buffer.from(JSON.stringify(value) + "\n")
  let off = 0
  while (off < buf.length) {
    try {
      off += fs.writeSync(1, buf, off)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e
    }
  }
}
