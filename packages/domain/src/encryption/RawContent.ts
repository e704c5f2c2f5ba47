/**
 * Which fields of each event carry raw content (issue 14), and how to transform all of them at
 * once: the one place that knows what encryption at rest covers. Pure and dialect-independent.
 *
 * Raw content: the message's text, command arguments and attachment names and URLs
 * (MessageReceived), the plan's goal and each step's description and input (PlanGenerated), the
 * modified approval text (ApprovalReceived), the tool input (ToolInvoked), the tool output and
 * error (ToolCompleted), the response text (ResponseSent) and the error message (ErrorOccurred).
 * Not raw: the masked copies (`input_masked`, `output_masked`), ApprovalDetails (built masked),
 * ids, types, timestamps, statuses, tool names, a step's tool and dependencies.
 *
 * `mapRawContent` calls `f` with each raw value (a JSON value, never null: an absent optional
 * field has nothing to hide), a stable path naming the field (`input`, `output.error`,
 * `message.attachments.0.url`, `plan.steps.0.input`) and whether the event carries a masked copy
 * of it (the tool input and output), and puts back what `f` returns. Sealing returns an envelope
 * string (ContentEnvelope: v3, what masking took out of an event's values in one ciphertext, each
 * field with its masked copy); opening returns the original value. The event's identity plus the
 * fields' paths (and the masked copies) are the associated data (`associatedData`,
 * `associatedDataV2`, `associatedDataV3`), so a sealed value moved to another event or field does
 * not open.
 */
import { maskText } from "../Events.js"
import type { ExecutionEvent } from "../ExecutionEvent.js"
import type { JsonValue } from "../Json.js"
import { maskSecrets } from "../maskSecrets/maskSecrets.js"
import {
  ENCRYPTED_PLACEHOLDER,
  ENVELOPE_MARK,
  ENVELOPE_PREFIX,
  isEventEnvelope,
  maskedPartOf
} from "./ContentEnvelope.js"

/**
 * Transforms one raw value; `path` names the field inside the event; `copied`: the event carries
 * a masked copy of it (`input_masked`, `output_masked`).
 */
export type RawValueMap = (value: JsonValue, path: string, copied: boolean) => JsonValue

const str = (value: string, path: string, f: RawValueMap): string => {
  const out = f(value, path, false)
  return typeof out === "string" ? out : JSON.stringify(out)
}

const optStr = (value: string | null, path: string, f: RawValueMap): string | null =>
  value === null ? null : str(value, path, f)

const copiedStr = (value: string, path: string, f: RawValueMap): string => {
  const out = f(value, path, true)
  return typeof out === "string" ? out : JSON.stringify(out)
}

/** `items` mapped by `f`, or `items` itself when `f` gives back every item as it was. */
const mapShared = <A>(items: ReadonlyArray<A>, f: (item: A, index: number) => A): ReadonlyArray<A> => {
  const out = items.map(f)
  for (let i = 0; i < out.length; i++) if (out[i] !== items[i]) return out
  return items
}

/** `record` with `key` set to `value`, or `record` itself when that is its value already. */
const withField = <R, K extends keyof R>(record: R, key: K, value: R[K]): R =>
  value === record[key] ? record : ({ ...record, [key]: value } as R)

/**
 * `event` with every raw content field replaced by `f` of it. Other fields are shared, not copied;
 * where `f` gives back every value of a part as it was, that part is `event`'s own (and when it
 * gives back all of them, `event` itself): most events hold nothing to seal or open, and a
 * read or a write through the sealing store walks every one.
 */
export const mapRawContent = (event: ExecutionEvent, f: RawValueMap): ExecutionEvent => {
  switch (event.type) {
    case "MessageReceived": {
      const m = event.message
      const text = str(m.text, "message.text", f)
      const command_args = optStr(m.command_args, "message.command_args", f)
      const attachments = mapShared(m.attachments, (a, i) =>
        withField(
          withField(a, "file_name", optStr(a.file_name, `message.attachments.${i}.file_name`, f)),
          "url",
          optStr(a.url, `message.attachments.${i}.url`, f)
        )
      )
      return text === m.text && command_args === m.command_args && attachments === m.attachments
        ? event
        : { ...event, message: { ...m, text, command_args, attachments } }
    }
    case "PlanGenerated": {
      const p = event.plan
      const goal = str(p.goal, "plan.goal", f)
      const steps = mapShared(p.steps, (step, i) =>
        withField(
          withField(step, "description", str(step.description, `plan.steps.${i}.description`, f)),
          "input",
          f(step.input, `plan.steps.${i}.input`, false)
        )
      )
      return goal === p.goal && steps === p.steps ? event : { ...event, plan: { ...p, goal, steps } }
    }
    case "ApprovalReceived":
      return withField(event, "modified", optStr(event.modified, "modified", f))
    case "ToolInvoked":
      return withField(event, "input", f(event.input, "input", true))
    case "ToolCompleted": {
      const o = event.output
      const output = f(o.output, "output.output", true)
      const error = o.error === null ? null : copiedStr(o.error, "output.error", f)
      return output === o.output && error === o.error ? event : { ...event, output: { ...o, output, error } }
    }
    case "ResponseSent":
      return withField(event, "text", str(event.text, "text", f))
    case "ErrorOccurred":
      return withField(event, "error", str(event.error, "error", f))
    case "ApprovalRequested":
      return event
  }
}

/** Every raw value of `event` with its path (what `mapRawContent` would visit). */
export const rawValues = (event: ExecutionEvent): ReadonlyArray<readonly [path: string, value: JsonValue]> => {
  const out: Array<readonly [string, JsonValue]> = []
  mapRawContent(event, (value, path) => {
    out.push([path, value])
    return value
  })
  return out
}

/**
 * The associated data binding a sealed value to its place: the execution, the event's type and
 * timestamp (an event's identity inside its stream) and the field's path.
 */
export const associatedData = (executionId: string, event: ExecutionEvent, path: string): string =>
  `cratos:v1\u0000${executionId}\u0000${event.type}\u0000${event.timestamp}\u0000${path}`

const eventAssociatedData =
  (version: string) =>
  (
    executionId: string,
    event: ExecutionEvent,
    fields: ReadonlyArray<{ readonly path: string; readonly masked: string }>
  ): string => {
    let aad = `${version}\u0000${executionId}\u0000${event.type}\u0000${event.timestamp}`
    for (const f of fields) aad += `\u0000${f.path}\u0000${f.masked.length}:${f.masked}`
    return aad
  }

/**
 * A v2 ciphertext's associated data: the event's place, as for v1, and every v2 field of the event
 * with its path and the masked copy it carries (its JSON text as stored, "" for none), in the
 * order `mapRawContent` visits them: a changed, moved, added or removed masked copy does not open.
 */
export const associatedDataV2 = eventAssociatedData("cratos:v2")

/**
 * A v3 ciphertext's associated data: as v2's, where each field's masked text is the masked copy
 * its patch applies to: the envelope's, or for the tool input and output the JSON text of the
 * event's own copy (`copiedMaskedOf`), so a changed copy does not open either.
 */
export const associatedDataV3 = eventAssociatedData("cratos:v3")

/**
 * The event's own masked copy of a raw field that has one (`copied` in `mapRawContent`): the tool
 * input's `input_masked`, the tool output's and error's in `output_masked`; undefined for any
 * other field.
 */
export const copiedMaskedOf = (event: ExecutionEvent, path: string): JsonValue | undefined => {
  if (event.type === "ToolInvoked") return path === "input" ? event.input_masked : undefined
  if (event.type === "ToolCompleted") {
    if (path === "output.output") return event.output_masked.output
    if (path === "output.error") return event.output_masked.error
  }
  return undefined
}

/**
 * The masked value of one raw value: a string's secrets masked (`maskSecrets` on the text), any
 * other JSON value walked by `maskSecrets`. What a v2 envelope carries and what the masked view
 * shows of a plaintext field.
 */
export const maskRawValue = (value: JsonValue): JsonValue =>
  typeof value === "string" ? maskText(maskSecrets, value) : (maskSecrets(value) as JsonValue)

/**
 * The masked view of one stored raw value, without a key: a v2 or v3 envelope's masked copy, a
 * plaintext value masked; undefined when only opening can give it (a v1 envelope, or an envelope
 * whose masked copy is not JSON).
 */
export const maskedValueOf = (value: JsonValue, mask: (value: JsonValue) => JsonValue = maskRawValue) => {
  if (typeof value === "string" && value.startsWith(ENVELOPE_MARK)) {
    if (isEventEnvelope(value)) {
      const masked = maskedPartOf(value)
      if (masked === undefined) return undefined
      try {
        return JSON.parse(masked) as JsonValue
      } catch {
        return undefined
      }
    }
    if (value.startsWith(ENVELOPE_PREFIX)) return undefined
  }
  return mask(value)
}

/**
 * A stored text's masked view, without a key (what the projector keeps of a plan's goal): the
 * masked copy of a v2 or v3 envelope, a plaintext text masked, `[encrypted]` for a v1 envelope.
 */
export const maskedTextOf = (value: string): string => {
  const masked = maskedValueOf(value)
  return masked === undefined ? ENCRYPTED_PLACEHOLDER : typeof masked === "string" ? masked : JSON.stringify(masked)
}

/**
 * A stored event in the masked view (what `show --json` prints), without a key: the tool input
 * and output by the masked copies the event carries, every other raw field by `maskedValueOf`.
 * Undefined when some field needs opening first (a v1 envelope of a field with no masked copy).
 */
export const maskStoredContent = (
  event: ExecutionEvent,
  mask: (value: JsonValue) => JsonValue = maskRawValue
): ExecutionEvent | undefined => {
  if (event.type === "ToolInvoked") return { ...event, input: event.input_masked }
  if (event.type === "ToolCompleted") return { ...event, output: event.output_masked }
  let sealed = false
  const masked = mapRawContent(event, (value) => {
    const out = maskedValueOf(value, mask)
    if (out !== undefined) return out
    sealed = true
    return value
  })
  return sealed ? undefined : masked
}

/**
 * `event` with every raw field replaced by its masked value (what `show --json` prints): the
 * tool input and output by the masked copies the event carries, other fields by `mask` of the
 * (opened) value, or a v2 or v3 envelope's masked copy; a field still sealed in a v1 envelope reads
 * `[encrypted]`. The result is still a valid event.
 */
export const maskRawContent = (
  event: ExecutionEvent,
  mask: (value: JsonValue) => JsonValue = maskRawValue
): ExecutionEvent =>
  maskStoredContent(event, mask) ?? mapRawContent(event, (value) => maskedValueOf(value, mask) ?? ENCRYPTED_PLACEHOLDER)
