/**
 * vitest globalSetup: names one state folder for the run's PostgreSQL cluster (started lazily by
 * the first suite that needs it, see postgresCluster.ts) and stops and removes it at the end.
 * A run of SQLite-only suites starts no server.
 */
import { makeStateFolder, STATE_ENV, teardownShared } from "./postgresCluster.js"

export default function setup(): () => void {
  const folder = makeStateFolder()
  process.env[STATE_ENV] = folder
  return () => teardownShared(folder)
}
