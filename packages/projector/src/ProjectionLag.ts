/** How far each projection is behind the log: shared by `ReadModel.status` and `Projector.lag`. */

export interface ProjectionLag {
  readonly name: string
  readonly version: number
  /** The last log position the projection has applied (0 when it must rebuild). */
  readonly position: number
  readonly lag: number
}

export interface ProjectorStatus {
  /** The highest position of the log. */
  readonly last_position: number
  readonly projections: ReadonlyArray<ProjectionLag>
}

/**
 * The lag of the `known` projections (a checkpoint of another version counts as position 0: it
 * is rebuilt on the next run), then of any other checkpoint row found (a projection this
 * program does not know), from the log's last position and the checkpoint rows, read by either
 * backend (SQLite: `readLag` in sql/readModelStatements.ts).
 */
export const lagOf = (
  last: number,
  rows: ReadonlyArray<{ readonly name: string; readonly version: number; readonly position: number }>,
  known: ReadonlyArray<{ readonly name: string; readonly version: number }>
): ProjectorStatus => {
  const byName = new Map(rows.map((r) => [r.name, r]))
  const projections: Array<ProjectionLag> = known.map((p) => {
    const row = byName.get(p.name)
    const position = row !== undefined && row.version === p.version ? row.position : 0
    return { name: p.name, version: p.version, position, lag: Math.max(0, last - position) }
  })
  for (const row of rows) {
    if (!known.some((p) => p.name === row.name)) {
      projections.push({
        name: row.name,
        version: row.version,
        position: row.position,
        lag: Math.max(0, last - row.position)
      })
    }
  }
  return { last_position: last, projections }
}
