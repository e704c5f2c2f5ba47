/**
 * The extended secret masker: everything `maskSensitive` masks (a strict superset, for every
 * JSON value), plus key spellings it misses (`apiKey`, `X-Api-Key`, `passwd`, `cookie`, …) and
 * secrets inside strings (auth headers, URL passwords, `key=value` pairs, PEM keys, JWTs,
 * provider tokens). It is what the agent applies to every `*_masked` field and to
 * ApprovalDetails. See walk.ts for the object rules and maskString.ts for the string rules.
 *
 * Fail-closed: if masking throws for any reason (a throwing getter, a revoked Proxy, a hostile
 * `toJSON`), the whole value is replaced by `"***MASKING_FAILED***"`; it is never passed
 * through.
 */
import { compiled } from "./CompiledOptions.js"
import type { MaskFinding } from "./MaskFinding.js"
import type { MaskOptions } from "./MaskOptions.js"
import { scanString } from "./maskString.js"
import { MASKING_FAILED } from "./placeholders.js"
import { walk } from "./walk.js"

/** A masked value and where it was masked. */
export interface MaskResult {
  readonly value: unknown
  readonly report: ReadonlyArray<MaskFinding>
}

/** `value` with its secrets masked: a fresh value sharing nothing mutable with the input. */
export const maskSecrets = (value: unknown, options?: MaskOptions): unknown => {
  try {
    return walk(value, compiled(options), undefined)
  } catch {
    return MASKING_FAILED
  }
}

/** {@link maskSecrets}, plus the path and rule of every masking (never the secret itself). */
export const maskSecretsWithReport = (value: unknown, options?: MaskOptions): MaskResult => {
  const report: Array<MaskFinding> = []
  try {
    return { value: walk(value, compiled(options), report), report }
  } catch {
    return { value: MASKING_FAILED, report: [{ path: "$", rule: "masking-failed" }] }
  }
}

/** The secrets inside one string masked, the rest kept readable (fail-closed like the rest). */
export const maskString = (text: string, options?: MaskOptions): string => {
  try {
    return scanString(text, compiled(options))
  } catch {
    return MASKING_FAILED
  }
}
