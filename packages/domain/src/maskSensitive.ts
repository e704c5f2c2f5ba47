/**
 * The seed's `mask_sensitive`, transcribed exactly (CONTRACT.md section 2).
 *
 * For every object key whose lowercase form contains one of {@link SENSITIVE_KEYS}, the value
 * becomes `"***MASKED***"`; other values are masked recursively through objects and arrays;
 * everything else is returned unchanged. Keys keep their own spelling, `__proto__` included
 * (it stays an ordinary own key, as `JSON.parse` makes it).
 *
 * Deep values do not overflow the stack: past {@link RECURSION_LIMIT} levels the walk continues
 * with an explicit stack.
 */

/** The seed's list of sensitive key fragments, matched against the lowercased key. */
export const SENSITIVE_KEYS: ReadonlyArray<string> = [
  "password",
  "token",
  "api_key",
  "secret",
  "credential",
  "auth",
  "bearer"
]

/** What a masked value is replaced with. */
export const MASKED = "***MASKED***"

const RECURSION_LIMIT = 512

/** Whether the seed masks the value stored under `key`. */
export const isSensitiveKey = (key: string): boolean => {
  const lower = key.toLowerCase()
  for (let i = 0; i < SENSITIVE_KEYS.length; i++) {
    if (lower.includes(SENSITIVE_KEYS[i]!)) return true
  }
  return false
}

/** Sets an own enumerable property, `__proto__` included, without touching the prototype. */
export const setOwn = (target: Record<string, unknown>, key: string, value: unknown): void => {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    target[key] = value
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const maskRecursive = (value: unknown, depth: number): unknown => {
  if (typeof value !== "object" || value === null) return value
  if (depth > RECURSION_LIMIT) return maskIterative(value)
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length)
    for (let i = 0; i < value.length; i++) out[i] = maskRecursive(value[i], depth + 1)
    return out
  }
  const out: Record<string, unknown> = {}
  for (const key in value as Record<string, unknown>) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue
    setOwn(
      out,
      key,
      isSensitiveKey(key) ? MASKED : maskRecursive((value as Record<string, unknown>)[key], depth + 1)
    )
  }
  return out
}

type Frame = { readonly source: unknown; readonly assign: (masked: unknown) => void }

/** The same function with an explicit stack, for values nested deeper than the JS stack allows. */
const maskIterative = (root: unknown): unknown => {
  let result: unknown
  const stack: Array<Frame> = [{ source: root, assign: (v) => (result = v) }]
  while (stack.length > 0) {
    const { source, assign } = stack.pop()!
    if (Array.isArray(source)) {
      const out = new Array<unknown>(source.length)
      assign(out)
      for (let i = 0; i < source.length; i++) {
        const item: unknown = source[i]
        if (typeof item === "object" && item !== null) stack.push({ source: item, assign: (v) => (out[i] = v) })
        else out[i] = item
      }
    } else if (isPlainObject(source)) {
      const out: Record<string, unknown> = {}
      assign(out)
      for (const key of Object.keys(source)) {
        const item = source[key]
        if (isSensitiveKey(key)) setOwn(out, key, MASKED)
        else if (typeof item === "object" && item !== null) {
          setOwn(out, key, null) // keeps key order; replaced when the frame is popped
          stack.push({ source: item, assign: (v) => setOwn(out, key, v) })
        } else setOwn(out, key, item)
      }
    } else {
      assign(source)
    }
  }
  return result
}

/** Masks a JSON value exactly as the seed's `mask_sensitive` does. */
export const maskSensitive = (value: unknown): unknown => maskRecursive(value, 0)
