/**
 * The walk behind {@link maskSecrets}: a fresh copy of the value with secrets masked.
 *
 * Per object key, in this order:
 * 1. the seed's rule (`isSensitiveKey`, substring): the value becomes `***MASKED***`, exactly as
 *    `maskSensitive` does — never affected by options, so the superset law holds;
 * 2. the extended name rule (`isSecretName`, by word) and the header-pair rule
 *    (`{ name: "Authorization", value: … }`): a primitive becomes `***MASKED***`, an object or
 *    array keeps its shape with every leaf masked (so any path the seed would mask below it is
 *    masked too);
 * 3. otherwise the value is walked; strings go through `scanString`.
 * A 2-element string array whose first item is a secret name (`["Authorization", "Bearer …"]`)
 * has its second item masked. Keys themselves are scanned too (a token used as a map key).
 * Under an allow-listed key only rule 1 applies, to the whole subtree.
 *
 * Robustness:
 * - cycles: a reference to an object being walked becomes `"[Circular]"`;
 * - depth: plain recursion up to {@link RECURSION_LIMIT} levels, then the deeper subtrees are
 *   queued and walked from the top of the stack again (a trampoline), so 10,000 or 1,000,000
 *   levels cannot overflow the stack;
 * - non-JSON values get one deterministic JSON form: bigint → decimal string, Date and anything
 *   with `toJSON` → its `toJSON()`, Map → object (keys stringified), Set → array, boxed
 *   primitives → the primitive, Error → `{ name, message, …own fields }`, binary data →
 *   `"[Binary]"`, functions → `"[Function]"`, symbols → `"[Symbol]"`, other class instances →
 *   their own enumerable fields; `undefined` stays `undefined`.
 */
import { isSensitiveKey, setOwn } from "../maskSensitive.js"
import {
  type Ancestors,
  emptyAncestors,
  isAncestor,
  markPath,
  moveTo,
  type PathMark,
  popAncestor,
  pushAncestor
} from "./Ancestors.js"
import type { CompiledOptions } from "./CompiledOptions.js"
import { formatPath, type JsonPath } from "./JsonPath.js"
import type { MaskFinding } from "./MaskFinding.js"
import type { MaskRule } from "./MaskRule.js"
import { scanString } from "./maskString.js"
import { BINARY_PLACEHOLDER, CIRCULAR, FUNCTION_PLACEHOLDER, MASKED, SYMBOL_PLACEHOLDER } from "./placeholders.js"

/** Levels walked by plain recursion before deeper subtrees are queued. */
export const RECURSION_LIMIT = 200

/** Every rule applies. */
const NORMAL = 0
/** Below an allow-listed key: only the seed's key rule applies. */
const ALLOWED = 1
/** Below an extended sensitive key: every leaf is masked, the shape is kept. */
const LEAVES = 2
type Mode = typeof NORMAL | typeof ALLOWED | typeof LEAVES

/** What is known about an object key; computed once per key name per options. */
interface KeyInfo {
  readonly seed: boolean
  readonly secret: boolean
  readonly allowed: boolean
  /** The key with any secret inside it masked (usually the key itself). */
  readonly masked: string
  readonly rules: ReadonlyArray<MaskRule>
}

type Container = Array<unknown> | Record<string, unknown>

interface Deferred {
  readonly source: object
  readonly target: Container
  readonly slot: string | number
  readonly path: JsonPath | undefined
  readonly mode: Mode
  /** The path the subtree hangs from. */
  readonly mark: PathMark
}

interface Walk {
  readonly options: CompiledOptions
  readonly keys: Map<string, KeyInfo>
  readonly report: Array<MaskFinding> | undefined
  readonly limit: number
  readonly ancestors: Ancestors
  readonly deferred: Array<Deferred>
  /** The path mark shared by the deferred children of one parent. */
  snapshotOwner: object | undefined
  snapshot: PathMark | undefined
}

const KEY_MEMO_LIMIT = 8192
const keyMemos = new WeakMap<CompiledOptions, Map<string, KeyInfo>>()

const keyMemo = (options: CompiledOptions): Map<string, KeyInfo> => {
  let memo = keyMemos.get(options)
  if (memo === undefined) {
    memo = new Map()
    keyMemos.set(options, memo)
  }
  return memo
}

const keyInfo = (w: Walk, key: string): KeyInfo => {
  let info = w.keys.get(key)
  if (info === undefined) {
    const rules: Array<MaskRule> = []
    info = {
      seed: isSensitiveKey(key),
      secret: w.options.names.isSecret(key),
      allowed: w.options.hasAllowList && w.options.names.isAllowed(key),
      masked: scanString(key, w.options, rules),
      rules
    }
    if (w.keys.size >= KEY_MEMO_LIMIT) w.keys.clear()
    w.keys.set(key, info)
  }
  return info
}

const hasOwn = Object.prototype.hasOwnProperty

const childPath = (w: Walk, path: JsonPath | undefined, segment: string | number): JsonPath | undefined =>
  w.report === undefined ? undefined : { parent: path, segment }

const found = (w: Walk, path: JsonPath | undefined, rule: MaskRule): void => {
  if (w.report !== undefined) w.report.push({ path: formatPath(path), rule })
}

const assign = (target: Container, slot: string | number, value: unknown): void => {
  if (typeof slot === "number") (target as Array<unknown>)[slot] = value
  else setOwn(target as Record<string, unknown>, slot, value)
}

const walkString = (w: Walk, text: string, path: JsonPath | undefined): string => {
  if (w.report === undefined) return scanString(text, w.options)
  const rules: Array<MaskRule> = []
  const out = scanString(text, w.options, rules)
  for (let i = 0; i < rules.length; i++) found(w, path, rules[i]!)
  return out
}

const walkValue = (w: Walk, value: unknown, depth: number, path: JsonPath | undefined, mode: Mode): unknown => {
  switch (typeof value) {
    case "string":
      return mode === LEAVES ? MASKED : mode === ALLOWED ? value : walkString(w, value, path)
    case "number":
    case "boolean":
      return mode === LEAVES ? MASKED : value
    case "bigint":
      return mode === LEAVES ? MASKED : String(value)
    case "undefined":
      return value
    case "symbol":
      return SYMBOL_PLACEHOLDER
    case "function":
      return FUNCTION_PLACEHOLDER
    case "object":
      return value === null ? (mode === LEAVES ? MASKED : null) : walkObject(w, value, depth, path, mode)
    default:
      return value
  }
}

/**
 * The walked value for `target[slot]`, or `null` for now when `value` is an object below the
 * recursion limit: it is then queued and written into `target[slot]` later.
 */
const walkSlot = (
  w: Walk,
  value: unknown,
  depth: number,
  path: JsonPath | undefined,
  mode: Mode,
  target: Container,
  slot: string | number
): unknown => {
  if (depth < w.limit || typeof value !== "object" || value === null) return walkValue(w, value, depth, path, mode)
  const owner = w.ancestors.stack[w.ancestors.stack.length - 1]
  if (w.snapshot === undefined || w.snapshotOwner !== owner) {
    w.snapshot = markPath(w.ancestors)
    w.snapshotOwner = owner
  }
  w.deferred.push({ source: value, target, slot, path, mode, mark: w.snapshot })
  return null
}

/** A value under a sensitive name: masked whole if primitive, leaf by leaf if a container. */
const maskWhole = (
  w: Walk,
  value: unknown,
  depth: number,
  path: JsonPath | undefined,
  rule: MaskRule,
  target: Container,
  slot: string | number
): unknown => {
  if (typeof value === "object" && value !== null) {
    found(w, path, rule)
    return walkSlot(w, value, depth, path, LEAVES, target, slot)
  }
  if (value !== MASKED) found(w, path, rule)
  return MASKED
}

const walkObject = (w: Walk, value: object, depth: number, path: JsonPath | undefined, mode: Mode): unknown => {
  if (isAncestor(w.ancestors, value)) {
    found(w, path, "circular-reference")
    return CIRCULAR
  }
  pushAncestor(w.ancestors, value)
  let out: unknown
  if (Array.isArray(value)) {
    out = walkArray(w, value, depth, path, mode)
  } else {
    const proto: unknown = Object.getPrototypeOf(value)
    out =
      proto === Object.prototype || proto === null
        ? walkRecord(w, value as Record<string, unknown>, depth, path, mode)
        : walkExotic(w, value, depth, path, mode)
  }
  popAncestor(w.ancestors)
  // the mark of this object's deferred children is the path through it: not another place it is shared at
  if (w.snapshotOwner === value) {
    w.snapshot = undefined
    w.snapshotOwner = undefined
  }
  return out
}

const walkArray = (
  w: Walk,
  source: ReadonlyArray<unknown>,
  depth: number,
  path: JsonPath | undefined,
  mode: Mode
): Array<unknown> => {
  const n = source.length
  const out = new Array<unknown>(n)
  if (n === 2 && mode === NORMAL) {
    const name = source[0]
    const second = source[1]
    if (typeof name === "string" && typeof second === "string" && w.options.names.isSecret(name)) {
      out[0] = walkString(w, name, childPath(w, path, 0))
      if (second !== MASKED) found(w, childPath(w, path, 1), "header-pair")
      out[1] = MASKED
      return out
    }
  }
  for (let i = 0; i < n; i++) out[i] = walkSlot(w, source[i], depth + 1, childPath(w, path, i), mode, out, i)
  return out
}

/** Fields naming the header in `{ name: "Authorization", value: "…" }`-shaped pairs. */
const PAIR_NAME_FIELDS = ["name", "key", "header"] as const

const isSecretPair = (w: Walk, source: Record<string, unknown>): boolean => {
  for (const field of PAIR_NAME_FIELDS) {
    if (!hasOwn.call(source, field)) continue
    const name = source[field]
    if (typeof name === "string") return w.options.names.isSecret(name)
  }
  return false
}

const walkRecord = (
  w: Walk,
  source: Record<string, unknown>,
  depth: number,
  path: JsonPath | undefined,
  mode: Mode
): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue
    const value = source[key]
    const info = keyInfo(w, key)
    const outKey = mode === ALLOWED ? key : info.masked
    const path1 = childPath(w, path, outKey)
    if (outKey !== key) for (let i = 0; i < info.rules.length; i++) found(w, path1, info.rules[i]!)
    let result: unknown
    if (info.seed) {
      if (value !== MASKED) found(w, path1, "seed-key")
      result = MASKED
    } else if (mode === NORMAL && info.secret) {
      result = maskWhole(w, value, depth + 1, path1, "sensitive-key", out, outKey)
    } else if (mode === NORMAL && key === "value" && isSecretPair(w, source)) {
      result = maskWhole(w, value, depth + 1, path1, "header-pair", out, outKey)
    } else {
      result = walkSlot(w, value, depth + 1, path1, info.allowed && mode === NORMAL ? ALLOWED : mode, out, outKey)
    }
    setOwn(out, outKey, result)
  }
  return out
}

/** Own enumerable string-keyed fields of any object, as a fresh plain record. */
const ownFields = (source: object, into: Record<string, unknown> = {}): Record<string, unknown> => {
  for (const key of Object.keys(source)) setOwn(into, key, (source as Record<string, unknown>)[key])
  return into
}

/** Objects that are not plain records or arrays, converted to a JSON shape and walked. */
const walkExotic = (w: Walk, source: object, depth: number, path: JsonPath | undefined, mode: Mode): unknown => {
  const toJSON: unknown = (source as { toJSON?: unknown }).toJSON
  if (typeof toJSON === "function") return walkValue(w, toJSON.call(source, ""), depth, path, mode)
  if (source instanceof Map) {
    const record: Record<string, unknown> = {}
    for (const [key, value] of source) setOwn(record, typeof key === "string" ? key : String(key), value)
    return walkRecord(w, record, depth, path, mode)
  }
  if (source instanceof Set) return walkArray(w, Array.from(source), depth, path, mode)
  if (ArrayBuffer.isView(source) || source instanceof ArrayBuffer) return BINARY_PLACEHOLDER
  if (source instanceof String || source instanceof Number || source instanceof Boolean || source instanceof BigInt) {
    return walkValue(w, source.valueOf(), depth, path, mode)
  }
  if (source instanceof RegExp) return walkValue(w, String(source), depth, path, mode)
  if (source instanceof Error) {
    const record: Record<string, unknown> = {}
    setOwn(record, "name", source.name)
    setOwn(record, "message", source.message)
    return walkRecord(w, ownFields(source, record), depth, path, mode)
  }
  return walkRecord(w, ownFields(source), depth, path, mode)
}

/**
 * Masks `value` under compiled options, appending findings to `report` when given. Throws if
 * the value does (a getter, a Proxy); the public functions turn that into a placeholder.
 * `limit` is the recursion limit, lowered by tests to exercise the deferred walk.
 */
export const walk = (
  value: unknown,
  options: CompiledOptions,
  report: Array<MaskFinding> | undefined,
  limit: number = RECURSION_LIMIT
): unknown => {
  const w: Walk = {
    options,
    keys: keyMemo(options),
    report,
    limit,
    ancestors: emptyAncestors(),
    deferred: [],
    snapshotOwner: undefined,
    snapshot: undefined
  }
  const result = walkValue(w, value, 0, undefined, NORMAL)
  while (w.deferred.length > 0) {
    const next = w.deferred.pop()!
    moveTo(w.ancestors, next.mark)
    w.snapshot = undefined
    w.snapshotOwner = undefined
    assign(next.target, next.slot, walkObject(w, next.source, 0, next.path, next.mode))
  }
  return result
}
