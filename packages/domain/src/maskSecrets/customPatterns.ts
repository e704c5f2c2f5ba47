/**
 * The caller's extra value patterns ({@link MaskOptions.extraPatterns}). Each is copied once with
 * the global flag (and `d` when it has a `secret` group, to know where the group is), so the
 * caller's RegExp object and its `lastIndex` are never touched, and an empty match cannot loop.
 */
import { addSpan, type SpanSink } from "./SpanSink.js"

export interface CustomPattern {
  readonly pattern: RegExp
  readonly grouped: boolean
}

export const compileCustomPattern = (source: RegExp): CustomPattern => {
  const grouped = source.source.includes("(?<secret>")
  const flags = source.flags.replace(/[gyd]/g, "") + "g" + (grouped ? "d" : "")
  return { pattern: new RegExp(source.source, flags), grouped }
}

export const runCustomPattern = (text: string, custom: CustomPattern, sink: SpanSink): void => {
  const pattern = custom.pattern
  pattern.lastIndex = 0
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    if (m[0].length === 0) {
      pattern.lastIndex++
      continue
    }
    const range = custom.grouped ? m.indices?.groups?.["secret"] : undefined
    if (range !== undefined) addSpan(sink, text, range[0], range[1], "custom-pattern")
    else if (!custom.grouped || m.groups?.["secret"] === undefined) {
      addSpan(sink, text, m.index, m.index + m[0].length, "custom-pattern")
    }
  }
}
