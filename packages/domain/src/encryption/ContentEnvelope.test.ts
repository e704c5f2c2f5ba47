import { describe, expect, it } from "@effect/vitest"
import { FastCheck as fc } from "effect"
import {
  ENVELOPE_PREFIX,
  ENVELOPE_PREFIX_V2,
  formatEnvelope,
  isEnvelope,
  isEnvelopeV2,
  maskedPartOf,
  parseEnvelope
} from "./ContentEnvelope.js"

const base64url = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/)

describe("the content envelope", () => {
  it("parses back what it formats, v1 and v2, whatever the masked copy holds (`:` included) (property)", () => {
    fc.assert(
      fc.property(base64url, base64url, fc.option(fc.string(), { nil: undefined }), (keyId, sealed, masked) => {
        const envelope = masked === undefined ? { keyId, sealed } : { keyId, sealed, masked }
        const text = formatEnvelope(envelope)
        expect(text.startsWith(masked === undefined ? ENVELOPE_PREFIX : ENVELOPE_PREFIX_V2)).toBe(true)
        expect(isEnvelope(text)).toBe(true)
        expect(isEnvelopeV2(text)).toBe(masked !== undefined)
        expect(parseEnvelope(text)).toEqual(envelope)
        expect(maskedPartOf(text)).toBe(masked)
      })
    )
  })

  it("refuses a malformed envelope: no key id, a sealed part outside base64url, a v2 without its masked part", () => {
    for (const bad of [
      "cratos:enc:v1::AAAA",
      "cratos:enc:v1:k:AA!A",
      "cratos:enc:v2:k:AAAA",
      'cratos:enc:v2:k::"x"',
      "cratos:enc:v3:k:AAAA"
    ]) {
      expect(parseEnvelope(bad), bad).toBeUndefined()
    }
    expect(isEnvelope("cratos:enc:v3:k:AAAA")).toBe(false)
    expect(maskedPartOf("cratos:enc:v1:k:AAAA")).toBeUndefined()
  })
})
