/**
 * Telling a PostgreSQL URL from a SQLite path, and printing one without its password. Pure (no
 * driver): the SQLite start-up path imports this, never `pg`.
 *
 * `postgres://user:pass@host:port/db?sslmode=require` and `postgresql://…` select PostgreSQL; the
 * query (`sslmode`, `application_name`, …) passes through to the driver as libpq would take it.
 */

/** Whether `location` (a `--db` value, `CRATOS_DB`) names a PostgreSQL database. */
export const isPostgresUrl = (location: string): boolean => /^postgres(?:ql)?:\/\//i.test(location.trim())

/**
 * The URL with its password replaced by `***` (also a `password=` query parameter), for every
 * message and log line. Text that does not parse as a URL is reduced to its scheme.
 */
export const maskUrl = (url: string): string => {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? ""
    return `${scheme}(unparsable URL)`
  }
  if (u.password !== "") u.password = "***"
  for (const key of [...u.searchParams.keys()]) {
    if (/^pass(word)?$/i.test(key)) u.searchParams.set(key, "***")
  }
  return u.toString()
}
