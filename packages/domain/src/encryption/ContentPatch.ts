/**
 * What masking took out of a raw value, and how to put it back (issue 14, v3 envelopes): a v3
 * envelope seals only this patch, not the whole value, because the rest of the value is its masked
 * copy, which is stored in the clear anyway. The stored row is then about the size of a plaintext
 * row, and the cipher's work is the size of the secrets.
 *
 * `patchOf(raw, masked)` walks both values together and keeps only where they differ:
 *
 *   [p, s, middle]     two strings: `raw` is masked's first p and last s UTF-16 units around `middle`
 *   {"a": [[i, P]…]}   two arrays of one length: element i is `P` applied to masked's element i
 *   {"o": [[k, P]…]}   two objects with the same keys in the same order: likewise by key
 *   {"v": value}       anything else: the raw value whole
 *
 * and undefined when the two are equal (nothing to seal). `applyPatch(masked, patch)` gives `raw`
 * back, equal as JSON text (key order kept), or undefined when the patch does not fit the masked
 * value (a corrupted or tampered row; the caller's GCM tag normally catches that first). Pure.
 */
import type { JsonValue } from "../Json.js"

/** A patch (see the header); JSON, so it can be sealed as text. */
export type ContentPatch =
  | readonly [prefix: number, suffix: number, middle: string]
  | { readonly a: ReadonlyArray<readonly [number, ContentPatch]> }
  | { readonly o: ReadonlyArray<readonly [string, ContentPatch]> }
  | { readonly v: JsonValue }

type JsonObject = { readonly [key: string]: JsonValue }

const isObject = (value: JsonValue): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const stringPatch = (raw: string, masked: string): ContentPatch | undefined => {
  if (raw === masked) return undefined
  const max = Math.min(raw.length, masked.length)
  let p = 0
  while (p < max && raw.charCodeAt(p) === masked.charCodeAt(p)) p++
  let s = 0
  while (s < max - p && raw.charCodeAt(raw.length - 1 - s) === masked.charCodeAt(masked.length - 1 - s)) s++
  return [p, s, raw.slice(p, raw.length - s)]
}

const arrayPatch = (raw: ReadonlyArray<JsonValue>, masked: ReadonlyArray<JsonValue>): ContentPatch | undefined => {
  if (raw.length !== masked.length) return { v: raw }
  let out: Array<readonly [number, ContentPatch]> | undefined
  for (let i = 0; i < raw.length; i++) {
    const p = patchOf(raw[i]!, masked[i]!)
    if (p !== undefined) (out ??= []).push([i, p])
  }
  return out === undefined ? undefined : { a: out }
}

const objectPatch = (raw: JsonObject, masked: JsonObject): ContentPatch | undefined => {
  const keys = Object.keys(raw)
  const maskedKeys = Object.keys(masked)
  if (keys.length !== maskedKeys.length) return { v: raw }
  for (let i = 0; i < keys.length; i++) if (keys[i] !== maskedKeys[i]) return { v: raw }
  let out: Array<readonly [string, ContentPatch]> | undefined
  for (const k of keys) {
    const p = patchOf(raw[k]!, masked[k]!)
    if (p !== undefined) (out ??= []).push([k, p])
  }
  return out === undefined ? undefined : { o: out }
}

/** How to get `raw` back from `masked`; undefined when they are equal. */
export const patchOf = (raw: JsonValue, masked: JsonValue): ContentPatch | undefined => {
  if (typeof raw === "string") return typeof masked === "string" ? stringPatch(raw, masked) : { v: raw }
  if (Array.isArray(raw)) return Array.isArray(masked) ? arrayPatch(raw, masked) : { v: raw }
  if (isObject(raw)) return isObject(masked) ? objectPatch(raw, masked) : { v: raw }
  // null, a boolean or a number: equal, or the whole value
  return raw === masked ? undefined : { v: raw }
}

const isIndex = (i: unknown, length: number): i is number =>
  typeof i === "number" && Number.isInteger(i) && i >= 0 && i < length

/** `raw` from its masked copy and `patchOf(raw, masked)`; undefined when the patch does not fit. */
export const applyPatch = (masked: JsonValue, patch: unknown): JsonValue | undefined => {
  if (Array.isArray(patch)) {
    const [p, s, middle] = patch as Array<unknown>
    if (
      patch.length !== 3 ||
      typeof masked !== "string" ||
      typeof middle !== "string" ||
      !isIndex(p, masked.length + 1) ||
      !isIndex(s, masked.length - p + 1)
    ) {
      return undefined
    }
    return masked.slice(0, p) + middle + masked.slice(masked.length - s)
  }
  if (typeof patch !== "object" || patch === null) return undefined
  if ("v" in patch) return (patch as { readonly v: JsonValue }).v
  if ("a" in patch) {
    const parts = (patch as { readonly a: unknown }).a
    if (!Array.isArray(masked) || !Array.isArray(parts)) return undefined
    const out = masked.slice()
    for (const part of parts) {
      if (!Array.isArray(part) || !isIndex(part[0], out.length)) return undefined
      const value = applyPatch(masked[part[0]]!, part[1])
      if (value === undefined) return undefined
      out[part[0]] = value
    }
    return out
  }
  if ("o" in patch) {
    const parts = (patch as { readonly o: unknown }).o
    if (!isObject(masked) || !Array.isArray(parts)) return undefined
    // the masked object's own keys in its order; each key patched is one of them, so assigning
    // it sets that own property (even "__proto__") and keeps the order
    const out: Record<string, JsonValue> = { ...masked }
    for (const part of parts) {
      if (!Array.isArray(part) || typeof part[0] !== "string" || !Object.hasOwn(masked, part[0])) return undefined
      const value = applyPatch(masked[part[0]]!, part[1])
      if (value === undefined) return undefined
      out[part[0]] = value
    }
    return out
  }
  return undefined
}
