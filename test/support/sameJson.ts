/**
 * Deep equality of JSON values without recursion (values in these tests are nested 10,000
 * levels deep): the same own keys in the same order, `__proto__` included, and Object.is for
 * scalars.
 */
export const sameJson = (a: unknown, b: unknown): boolean => {
  const stack: Array<[unknown, unknown]> = [[a, b]]
  while (stack.length > 0) {
    const [x, y] = stack.pop()!
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false
      x.forEach((v, i) => stack.push([v, y[i]]))
    } else if (typeof x === "object" && x !== null) {
      if (typeof y !== "object" || y === null || Array.isArray(y)) return false
      const kx = Object.keys(x)
      const ky = Object.keys(y)
      if (kx.length !== ky.length || kx.some((k, i) => k !== ky[i])) return false
      for (const k of kx) stack.push([(x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k]])
    } else if (!Object.is(x, y)) return false
  }
  return true
}
