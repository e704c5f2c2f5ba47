/**
 * The seed's `mask_sensitive`, transcribed exactly (CONTRACT.md section 2).
 *
 * For every object key whose lowercase form contains one of {@link SENSITIVE_KEYS}, the value
 * becomes `"***MASKED***"`; other values are masked recursively through objects and arrays;
 * everything else is returned unchanged. Keys keep their own spelling, `__proto__` included
 * (it stays an ordinary own key, as `JSON.parse` makes it).
 *
 * This is the first of three maskers, each built on the one before (see maskSecrets/index.ts):
 * `maskSensitive` (the seed's contract: the decider's default), `maskSecrets` (a strict superset:
 * more key spellings and secrets inside strings), and the app's `appMasker` (apps/agent: binds
 * `maskSecrets` as the one masker the agent records with and the CLI prints through).
 * The placeholders (`MASKED`, `CIRCULAR`) belong to maskSecrets/placeholders.ts.
 *
 * Deep values do not overflow the stack: past {@link RECURSION_LIMIT} levels the walk continues
 * with an explicit stack. A circular reference (no JSON value has one, but a caller's object
 * may) is replaced by {@link CIRCULAR} instead of being walked forever.
 */

import { CIRCULAR, MASKED } from "./maskSecrets/placeholders.js"

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

/**
 * The walk, recursive while shallow. `ancestors` holds the objects on the path from the root
 * (a short array: a linear scan is cheaper than a Set at the depths JSON usually has).
 */
const maskRecursive = (value: unknown, ancestors: Array<object>): unknown => {
  if (typeof value !== "object" || value === null) return value
  if (ancestors.includes(value)) return CIRCULAR
  if (ancestors.length > RECURSION_LIMIT) return maskIterative(value, ancestors)
  ancestors.push(value)
  let out: unknown
  if (Array.isArray(value)) {
    const arr = new Array<unknown>(value.length)
    for (let i = 0; i < value.length; i++) arr[i] = maskRecursive(value[i], ancestors)
    out = arr
  } else {
    const obj: Record<string, unknown> = {}
    for (const key in value as Record<string, unknown>) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue
      setOwn(obj, key, isSensitiveKey(key) ? MASKED : maskRecursive((value as Record<string, unknown>)[key], ancestors))
    }
    out = obj
  }
  ancestors.pop()
  return out
}

interface Frame {
  readonly source: object
  readonly assign: (masked: unknown) => void
}

/** Pushed under a frame's children: when it is popped, the frame's object leaves the path. */
interface Exit {
  readonly exit: object
}

/**
 * The same function with an explicit stack, for values nested deeper than the JS stack allows.
 * The objects on the path to the frame being walked are a set: a frame's object joins it when the
 * frame is entered and leaves it when the exit step pushed under its children is popped, so a
 * child is a cycle exactly when it is in the set (one lookup, not a walk up the path): linear in
 * the depth, where walking the parents was quadratic (17 s for 100,000 levels; bench/deepMasking.ts).
 */
const maskIterative = (root: object, outer: ReadonlyArray<object>): unknown => {
  let result: unknown
  const onPath = new Set<object>(outer)
  const stack: Array<Frame | Exit> = [{ source: root, assign: (v) => (result = v) }]
  while (stack.length > 0) {
    const step = stack.pop()!
    if ("exit" in step) {
      onPath.delete(step.exit)
      continue
    }
    const { source, assign } = step
    onPath.add(source)
    stack.push({ exit: source })
    const child = (item: unknown, set: (v: unknown) => void) => {
      if (typeof item !== "object" || item === null) set(item)
      else if (onPath.has(item)) set(CIRCULAR)
      else stack.push({ source: item, assign: set })
    }
    if (Array.isArray(source)) {
      const out = new Array<unknown>(source.length)
      assign(out)
      for (let i = 0; i < source.length; i++) child(source[i], (v) => (out[i] = v))
    } else {
      const out: Record<string, unknown> = {}
      assign(out)
      for (const key of Object.keys(source)) {
        if (isSensitiveKey(key)) setOwn(out, key, MASKED)
        else {
          setOwn(out, key, null) // keeps key order; replaced when the child is done
          child((source as Record<string, unknown>)[key], (v) => setOwn(out, key, v))
        }
      }
    }
  }
  return result
}

/** Masks a JSON value exactly as the seed's `mask_sensitive` does. */
export const maskSensitive = (value: unknown): unknown => maskRecursive(value, [])
