/**
 * Paths of findings (`$.headers[0].Authorization`, `$["x-api-key"]`). Built as a linked list
 * while walking — and only when a report was asked for — and turned into text only for a
 * finding, so walking costs no string concatenation per node.
 */

export interface JsonPath {
  readonly parent: JsonPath | undefined
  readonly segment: string | number
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

const formatSegment = (segment: string | number): string =>
  typeof segment === "number"
    ? `[${segment}]`
    : IDENTIFIER.test(segment)
      ? `.${segment}`
      : `[${JSON.stringify(segment)}]`

/** `$` followed by the segments from the root. */
export const formatPath = (path: JsonPath | undefined): string => {
  const segments: Array<string> = []
  for (let node = path; node !== undefined; node = node.parent) segments.push(formatSegment(node.segment))
  return "$" + segments.reverse().join("")
}
