import { describe, expect, it } from "vitest"
import { FastCheck as fc } from "effect"
import { decodeCapped, dropIncompleteUtf8, truncateText } from "./truncate.js"

describe("truncateText", () => {
  it("keeps text within the budget whole", () => {
    expect(truncateText("abc", 3)).toEqual({ text: "abc", truncated: false, totalBytes: 3 })
  })

  it("cuts on a character boundary, keeps a prefix, adds a note (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), fc.integer({ min: 0, max: 300 }), (text, max) => {
        const out = truncateText(text, max)
        const bytes = Buffer.byteLength(text)
        if (bytes <= max) {
          expect(out).toEqual({ text, truncated: false, totalBytes: bytes })
          return
        }
        const note = out.text.lastIndexOf("\n… [truncated: showing ")
        const kept = out.text.slice(0, note)
        expect(out.truncated).toBe(true)
        expect(text.startsWith(kept)).toBe(true)
        expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(max)
        expect(kept.isWellFormed()).toBe(true)
        expect(out.text.endsWith(`of ${bytes} bytes]`)).toBe(true)
      })
    )
  })
})

describe("decodeCapped", () => {
  it("drops a multi-byte character cut by the cap", () => {
    const bytes = Buffer.from("aé€😀", "utf8") // 1 + 2 + 3 + 4 bytes
    for (let n = 0; n <= bytes.length; n++) {
      const kept = Buffer.from(dropIncompleteUtf8(bytes.subarray(0, n))).toString("utf8")
      expect(kept.includes("\uFFFD"), `cut at ${n}`).toBe(false)
      expect("aé€😀".startsWith(kept)).toBe(true)
    }
    expect(decodeCapped(bytes.subarray(0, 5), true, 10).text).toBe("aé\n… [truncated: showing 3 of 10 bytes]")
  })
})
