/**
 * Which fields of each event carry raw content (issue 14), and how to transform all of them at
 * once: the one place that knows what encryption at rest covers. Pure and dialect-independent.
 *
 * Raw content: the message's text, command arguments and attachment names and URLs
 * (MessageReceived), the modified approval text (ApprovalReceived), the tool input (ToolInvoked),
 * the tool output and error (ToolCompleted), the response text (ResponseSent) and the error message
 * (ErrorOccurred). Not raw: the masked copies (`input_masked`, `output_masked`), ApprovalDetails
 * (built masked), ids, types, timestamps, statuses, tool names, the plan.
 *
 * `mapRawContent` calls `f` with each raw value (a JSON value, never null: an absent optional
 * field has nothing to hide) and a stable path naming the field (`input`, `output.error`,
 * `message.attachments.0.url`), and puts back what `f` returns. Sealing returns an envelope
 * string; opening returns the original value. The event's identity plus the path is the
 * associated data (`associatedData`), so a sealed value moved to another event or field does
 * not open.
 */
import type { ExecutionEvent } from "../ExecutionEvent.js"
import type { JsonValue } from "../Json.js"

/** Transforms one raw value; `path` names the field inside the event. */
export type RawValueMap = (value: JsonValue, path: string) => JsonValue

const str = (value: string, path: string, f: RawValueMap): string => {
  const out = f(value, path)
  return typeof out === "string" ? out : JSON.stringify(out)
}

const optStr = (value: string | null, path: string, f: RawValueMap): string | null =>
  value === null ? null : str(value, path, f)

/** `event` with every raw content field replaced by `f` of it. Other fields are shared, not copied. */
export const mapRawContent = (event: ExecutionEvent, f: RawValueMap): ExecutionEvent => {
  switch (event.type) {
    case "MessageReceived": {
      const m = event.message
      return {
        ...event,
        message: {
          ...m,
          text: str(m.text, "message.text", f),
          command_args: optStr(m.command_args, "message.command_args", f),
          attachments: m.attachments.map((a, i) => ({
            ...a,
            file_name: optStr(a.file_name, `message.attachments.${i}.file_name`, f),
            url: optStr(a.url, `message.attachments.${i}.url`, f)
          }))
        }
      }
    }
    case "ApprovalReceived":
      return { ...event, modified: optStr(event.modified, "modified", f) }
    case "ToolInvoked":
      return { ...event, input: f(event.input, "input") }
    case "ToolCompleted":
      return {
        ...event,
        output: {
          ...event.output,
          output: f(event.output.output, "output.output"),
          error: optStr(event.output.error, "output.error", f)
        }
      }
    case "ResponseSent":
      return { ...event, text: str(event.text, "text", f) }
    case "ErrorOccurred":
      return { ...event, error: str(event.error, "error", f) }
    case "PlanGenerated":
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

/**
 * `event` with every raw field replaced by its masked value (what `show --json` prints): the
 * tool input and output by the masked copies the event carries, text fields by `maskText` of
 * the (opened) text. The result is still a valid event.
 */
export const maskRawContent = (event: ExecutionEvent, maskText: (text: string) => string): ExecutionEvent => {
  if (event.type === "ToolInvoked") return { ...event, input: event.input_masked }
  if (event.type === "ToolCompleted") return { ...event, output: event.output_masked }
  return mapRawContent(event, (value) => (typeof value === "string" ? maskText(value) : value))
}

/**
 * Whether `maskRawContent` of `event` needs none of its raw values: every raw field has a masked
 * copy in the event (the tool input and output), or there is none. A masked read need not open
 * such an event's envelopes at all.
 */
export const maskedWithoutRaw = (event: ExecutionEvent): boolean =>
  event.type === "ToolInvoked" ||
  event.type === "ToolCompleted" ||
  event.type === "PlanGenerated" ||
  event.type === "ApprovalRequested"
