/**
 * Structured logs: one JSON object a line on stderr, `{ ts, level, msg, ...fields }`, the
 * fields being the log's annotations. Callers annotate positions and ids, never event payloads.
 */
import { HashMap, Logger } from "effect"

const text = (message: unknown): string =>
  Array.isArray(message)
    ? message.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ")
    : String(message)

export const jsonLine = (write: (line: string) => void) =>
  Logger.make(({ annotations, date, logLevel, message }) => {
    const fields: Record<string, unknown> = {}
    for (const [k, v] of HashMap.toEntries(annotations)) fields[k] = v
    write(
      JSON.stringify({ ts: date.toISOString(), level: logLevel.label.toLowerCase(), msg: text(message), ...fields }) +
        "\n"
    )
  })

/** Replaces the default logger with JSON lines on stderr. */
export const JsonLogger = Logger.replace(
  Logger.defaultLogger,
  jsonLine((line) => process.stderr.write(line))
)
