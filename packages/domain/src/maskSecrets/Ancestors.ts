/**
 * The objects on the path from the root to the node being walked, to recognise a cycle (a
 * value that contains itself) as opposed to a value merely shared by two branches, which is
 * walked twice like JSON.stringify would.
 *
 * Realistic payloads are a handful of levels deep, so the first levels are checked by a linear
 * scan of an array (cheaper than a Set); deeper levels also go into a Set so a 10,000-deep
 * value is not quadratic.
 */

const LINEAR_LEVELS = 32

export interface Ancestors {
  readonly stack: Array<object>
  deep: Set<object> | undefined
}

export const emptyAncestors = (): Ancestors => ({ stack: [], deep: undefined })

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

/** An independent copy, for a subtree whose walk is deferred (see walk.ts). */
export const copyAncestors = (ancestors: Ancestors): Ancestors => ({
  stack: ancestors.stack.slice(),
  deep: ancestors.deep === undefined ? undefined : new Set(ancestors.deep)
})
