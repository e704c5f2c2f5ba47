/**
 * The objects on the path from the root to the node being walked, to recognise a cycle (a
 * value that contains itself) as opposed to a value merely shared by two branches, which is
 * walked twice like JSON.stringify would.
 *
 * Realistic payloads are a handful of levels deep, so the first levels are checked by a linear
 * scan of an array (cheaper than a Set); deeper levels also go into a Set so a 10,000-deep
 * value is not quadratic.
 *
 * A subtree deferred by the walk (below its recursion limit, see walk.ts) is walked later, under
 * the path it hung from: a {@link PathMark}, which keeps only the part of the path the current
 * walk added (at most the recursion limit's length) and points to the mark that walk started
 * from. `moveTo` takes the path from one mark to the next by popping to the marks' common point
 * and pushing the segments below it, so a value 100,000 levels deep costs its depth, not its
 * depth squared (a full copy of the path per deferral did: 11 s at 100,000 levels; see
 * bench/deepMasking.ts).
 */

const LINEAR_LEVELS = 32

/** A point of the path that deferred subtrees hang from. */
export interface PathMark {
  readonly parent: PathMark | undefined
  /** The path's objects between the parent mark and this one. */
  readonly segment: ReadonlyArray<object>
  /** The path's length at this mark. */
  readonly length: number
}

export interface Ancestors {
  /** The whole path, root first. */
  readonly stack: Array<object>
  deep: Set<object> | undefined
  /** The mark the current walk started from (the path's first `at.length` objects). */
  at: PathMark
}

export const emptyAncestors = (): Ancestors => ({
  stack: [],
  deep: undefined,
  at: { parent: undefined, segment: [], length: 0 }
})

export const isAncestor = (ancestors: Ancestors, value: object): boolean => {
  const stack = ancestors.stack
  const n = stack.length < LINEAR_LEVELS ? stack.length : LINEAR_LEVELS
  for (let i = 0; i < n; i++) if (stack[i] === value) return true
  return ancestors.deep !== undefined && ancestors.deep.has(value)
}

export const pushAncestor = (ancestors: Ancestors, value: object): void => {
  if (ancestors.stack.length >= LINEAR_LEVELS) (ancestors.deep ??= new Set()).add(value)
  ancestors.stack.push(value)
}

export const popAncestor = (ancestors: Ancestors): void => {
  const value = ancestors.stack.pop()
  if (value !== undefined && ancestors.stack.length >= LINEAR_LEVELS) ancestors.deep?.delete(value)
}

/** A mark of the path as it is now, for the subtrees deferred here. */
export const markPath = (ancestors: Ancestors): PathMark => ({
  parent: ancestors.at,
  segment: ancestors.stack.slice(ancestors.at.length),
  length: ancestors.stack.length
})

/**
 * The path moved to `mark`, to walk a subtree deferred there. The path must be back at the mark
 * the last walk started from (each walk pops what it pushed).
 */
export const moveTo = (ancestors: Ancestors, mark: PathMark): void => {
  // up from both marks to a common one (a mark is longer than its parent; any common mark will
  // do, since the path is popped to it and every segment below it is pushed again)
  const down: Array<PathMark> = []
  let to: PathMark | undefined = mark
  let from: PathMark | undefined = ancestors.at
  while (to !== from) {
    if (to === undefined || from === undefined) throw new Error("marks of two different walks")
    if (to.length > from.length) {
      down.push(to)
      to = to.parent
    } else if (from.length > to.length) {
      from = from.parent
    } else {
      down.push(to)
      to = to.parent
      from = from.parent
    }
  }
  const common = to?.length ?? 0
  while (ancestors.stack.length > common) popAncestor(ancestors)
  for (let i = down.length - 1; i >= 0; i--) for (const value of down[i]!.segment) pushAncestor(ancestors, value)
  ancestors.at = mark
}
