import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  ENVELOPE_PREFIX,
  ENVELOPE_PREFIX_V2,
  ENVELOPE_PREFIX_V3,
  formatEnvelope,
  isEnvelope,
  isEventEnvelope,
  maskedPartOf,
  parseEnvelope
} from "./ContentEnvelope.js"

const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)

describe("the content envelope", () => {
  it("parses back what it formats, v1, v2 and v3, whatever the masked copy holds (`:` included) (property)", () => {
    fc.assert(
      fc.property(
        base64url,
        base64url,
        fc.constantFrom(1 as const, 2 as const, 3 as const),
        fc.string(),
        (keyId, sealed, version, masked) => {
          const envelope = version === 1 ? { version, keyId, sealed } : { version, keyId, sealed, masked }
          const text = formatEnvelope(envelope)
          expect(text.startsWith([ENVELOPE_PREFIX, ENVELOPE_PREFIX_V2, ENVELOPE_PREFIX_V3][version - 1]!)).toBe(true)
          expect(isEnvelope(text)).toBe(true)
          expect(isEventEnvelope(text)).toBe(version !== 1)
          expect(parseEnvelope(text)).toEqual(envelope)
          expect(maskedPartOf(text)).toBe(version === 1 ? undefined : masked)
        }
      )
    )
  })

  it("refuses a malformed envelope: no key id, a sealed part outside base64url, a v2 or v3 without its masked part", () => {
    for (const bad of [
      "cratos:enc:v1::AAAA",
      "cratos:enc:v1:k:AA!A",
      "cratos:enc:v2:k:AAAA",
      'cratos:enc:v2:k::"x"',
      "cratos:enc:v3:k:AAAA",
      "cratos:enc:v4:k:AAAA:x"
    ]) {
      expect(parseEnvelope(bad), bad).toBeUndefined()
    }
    expect(isEnvelope("cratos:enc:v4:k:AAAA:x")).toBe(false)
    expect(maskedPartOf("cratos:enc:v1:k:AAAA")).toBeUndefined()
  })
})
