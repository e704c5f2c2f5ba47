/** How long each tool may run and how much it may return. */
import { Duration } from "effect"

export interface ToolLimits {
  /** Bytes of content a tool returns (a file's text, a body, each of stdout/stderr). */
  readonly outputBytes: number
  /** Largest content `file_write` accepts. */
  readonly writeBytes: number
  /** Entries `file_list` returns. */
  readonly listEntries: number
  /** Matches `file_search` returns. */
  readonly searchMatches: number
  /** Files `file_search` opens before it stops. */
  readonly searchFiles: number
  /** Files larger than this are skipped by `file_search`. */
  readonly searchFileBytes: number
}

export const defaultLimits: ToolLimits = {
  outputBytes: 64 * 1024,
  writeBytes: 1024 * 1024,
  listEntries: 1000,
  searchMatches: 200,
  searchFiles: 5000,
  searchFileBytes: 1024 * 1024
}

/** Per-tool time limits; a tool not named gets `default`. */
export interface ToolTimeouts {
  readonly default: Duration.DurationInput
  readonly [tool: string]: Duration.DurationInput
}

export const defaultTimeouts: ToolTimeouts = {
  default: Duration.seconds(10),
  http_get: Duration.seconds(30),
  exec: Duration.seconds(60)
}

export const timeoutOf = (timeouts: ToolTimeouts, tool: string): Duration.Duration =>
  Duration.decode(Object.prototype.hasOwnProperty.call(timeouts, tool) ? timeouts[tool]! : timeouts.default)
