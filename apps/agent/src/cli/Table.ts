/** Plain-text tables: a header row and left-aligned columns separated by two spaces. */

export interface Column<R> {
  readonly header: string
  readonly value: (row: R) => string
  /** Right-align (numbers). */
  readonly right?: boolean
}

/** The lines of a table; the last column is not padded (no trailing spaces). */
export const table = <R>(columns: ReadonlyArray<Column<R>>, rows: ReadonlyArray<R>): ReadonlyArray<string> => {
  const cells = rows.map((r) => columns.map((c) => c.value(r)))
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => Array.from(row[i]!).length)))
  const render = (values: ReadonlyArray<string>) =>
    values
      .map((v, i) => {
        const pad = widths[i]! - Array.from(v).length
        if (columns[i]!.right === true) return " ".repeat(pad) + v
        return i === values.length - 1 ? v : v + " ".repeat(pad)
      })
      .join("  ")
      .trimEnd()
  return [render(columns.map((c) => c.header)), ...cells.map(render)]
}

/** A timestamp in a table: `2025-11-26 10:00:37` (UTC, seconds). */
export const shortTime = (t: string | null): string => (t === null ? "-" : t.slice(0, 19).replace("T", " "))
