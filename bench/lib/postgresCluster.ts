/**
 * A throwaway PostgreSQL cluster for the tests: Debian's binaries (`/usr/lib/postgresql/<v>/bin`),
 * `initdb` in a temporary folder, a free port on 127.0.0.1, password (SCRAM) authentication over
 * TCP, run as an unprivileged user when the tests run as root (the server refuses root).
 *
 * One cluster per test run, started by the first suite that asks (`postgresDatabase()`), shared by
 * the others: the globalSetup (`postgresGlobalSetup.ts`) hands every worker the same state folder,
 * the first worker to take its lock (an exclusive `mkdir`) starts the cluster and writes its URL,
 * the others wait for that file. The globalSetup's teardown stops the cluster and removes the
 * folder. Each suite gets a database of its own (`CREATE DATABASE`), so suites never see each
 * other's rows.
 *
 * Without the binaries the Postgres suites skip, and say so on one loud line naming the package.
 */
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"

export const POSTGRES_PACKAGE = "postgresql"
export const SKIP_LINE =
  `PostgreSQL suites SKIPPED: no initdb under /usr/lib/postgresql/*/bin; install the Debian package ` +
  `\`${POSTGRES_PACKAGE}\` (apt-get install -y ${POSTGRES_PACKAGE})`

/** The folder of the newest installed PostgreSQL's binaries, if any. */
export const postgresBin = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  let versions: Array<string>
  try {
    versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb")))
  } catch {
    return undefined
  }
  versions.sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : path.join(root, versions[0], "bin")
}

export interface ClusterState {
  readonly url: string
  readonly adminUrl: string
  readonly dataDir: string
  readonly bin: string
  readonly user: string | undefined
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))
      )
    })
  })

/** Runs a PostgreSQL binary, as `user` (an unprivileged account) when given. */
const runAs = (user: string | undefined, bin: string, args: ReadonlyArray<string>, cwd: string): void => {
  const [file, argv] =
    user === undefined
      ? [bin, args]
      : ["setpriv", ["--reuid", user, "--regid", "nogroup", "--clear-groups", bin, ...args]]
  execFileSync(file, argv as Array<string>, { cwd, stdio: ["ignore", "pipe", "pipe"] })
}

export interface StartOptions {
  /** `fsync=off` etc. for tests (default); benchmarks pass `durable: true`. */
  readonly durable?: boolean
  /**
   * With `durable`: `synchronous_commit` (default on, an fsync per commit). `off` is SQLite's
   * WAL `synchronous=NORMAL` (the store's default there): durable but for the last commits on a crash.
   */
  readonly synchronousCommit?: "on" | "off"
  readonly maxConnections?: number
  /** More `-c name=value` server settings (e.g. `shared_preload_libraries=pg_stat_statements`). */
  readonly settings?: ReadonlyArray<string>
}

/** Starts a cluster in `folder` (created, writable by the server's user); returns its state. */
export const startCluster = async (folder: string, options: StartOptions = {}): Promise<ClusterState> => {
  const bin = postgresBin()
  if (bin === undefined) throw new Error(SKIP_LINE)
  const user = process.getuid?.() === 0 ? "nobody" : undefined
  const dataDir = path.join(folder, "data")
  const socketDir = path.join(folder, "socket")
  fs.mkdirSync(socketDir, { recursive: true })
  const password = `pw-${Math.random().toString(36).slice(2)}`
  const pwfile = path.join(folder, "pwfile")
  fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 })
  if (user !== undefined) {
    const { uid, gid } = passwdOf(user)
    for (const p of [folder, socketDir, pwfile]) fs.chownSync(p, uid, gid)
  }
  runAs(
    user,
    path.join(bin, "initdb"),
    [
      "-D",
      dataDir,
      "-U",
      "cratos",
      "--pwfile",
      pwfile,
      "--auth-host=scram-sha-256",
      "--auth-local=trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync"
    ],
    folder
  )
  fs.rmSync(pwfile)
  const port = await freePort()
  const settings = [
    `-p ${port}`,
    `-k ${socketDir}`,
    "-c listen_addresses=127.0.0.1",
    `-c max_connections=${options.maxConnections ?? 200}`,
    "-c shared_buffers=32MB",
    ...(options.durable === true
      ? [`-c synchronous_commit=${options.synchronousCommit ?? "on"}`]
      : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
    ...(options.settings ?? []).map((s) => `-c ${s}`)
  ]
  runAs(
    user,
    path.join(bin, "pg_ctl"),
    ["-D", dataDir, "-w", "-t", "60", "-l", path.join(folder, "server.log"), "-o", settings.join(" "), "start"],
    folder
  )
  const base = `postgres://cratos:${encodeURIComponent(password)}@127.0.0.1:${port}`
  return { url: `${base}/postgres`, adminUrl: `${base}/postgres`, dataDir, bin, user }
}

/**
 * `f` given the URL of a cluster of its own, as the benchmarks run one (durable,
 * `synchronous_commit=off`), in a new temp folder named `prefix…`; stopped and removed after,
 * however `f` ends.
 */
export const withBenchCluster = async <A>(prefix: string, f: (url: string) => Promise<A>): Promise<A> => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.chmodSync(folder, 0o755)
  const cluster = await startCluster(folder, { durable: true, synchronousCommit: "off" })
  try {
    return await f(cluster.url)
  } finally {
    stopCluster(cluster)
    fs.rmSync(folder, { recursive: true, force: true })
  }
}

/** Stops a cluster started by `startCluster` (immediate mode: it is thrown away). */
export const stopCluster = (state: ClusterState): void => {
  try {
    runAs(state.user, path.join(state.bin, "pg_ctl"), ["-D", state.dataDir, "-m", "immediate", "-w", "stop"], "/")
  } catch {
    // Already stopped.
  }
}

const passwdOf = (user: string): { uid: number; gid: number } => {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${user}:`))
  const fields = line?.split(":")
  if (fields === undefined || fields.length < 4) throw new Error(`no user ${user}`)
  return { uid: Number(fields[2]), gid: Number(fields[3]) }
}

// ---- shared by the workers of one test run -------------------------------------------------

/** The env variable through which the globalSetup names the run's state folder. */
export const STATE_ENV = "CRATOS_TEST_PG_STATE"

const statePaths = (folder: string) => ({
  lock: path.join(folder, "lock"),
  ready: path.join(folder, "cluster.json"),
  failed: path.join(folder, "failed.txt"),
  cluster: path.join(folder, "cluster")
})

/** A state folder for one run (made by the globalSetup). */
export const makeStateFolder = (): string => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "cratos-pg-"))
  fs.chmodSync(folder, 0o755)
  return folder
}

/** The run's cluster: started by the first caller, waited for by the others. */
const sharedCluster = async (): Promise<ClusterState> => {
  const folder = process.env[STATE_ENV]
  if (folder === undefined)
    throw new Error(`${STATE_ENV} is not set: run the Postgres suites through vitest (globalSetup)`)
  const p = statePaths(folder)
  let owner = false
  try {
    fs.mkdirSync(p.lock)
    owner = true
  } catch {
    // Another worker starts it.
  }
  if (owner) {
    try {
      fs.mkdirSync(p.cluster, { mode: 0o755 })
      const state = await startCluster(p.cluster)
      fs.writeFileSync(p.ready + ".tmp", JSON.stringify(state))
      fs.renameSync(p.ready + ".tmp", p.ready)
      return state
    } catch (e) {
      fs.writeFileSync(p.failed, e instanceof Error ? e.message : String(e))
      throw e
    }
  }
  for (let i = 0; i < 1200; i++) {
    if (fs.existsSync(p.ready)) return JSON.parse(fs.readFileSync(p.ready, "utf8")) as ClusterState
    if (fs.existsSync(p.failed)) throw new Error(`the test cluster did not start: ${fs.readFileSync(p.failed, "utf8")}`)
    await sleep(50)
  }
  throw new Error("the test cluster did not start within 60 s")
}

/** Stops and removes the run's cluster, if one was started (the globalSetup's teardown). */
export const teardownShared = (folder: string): void => {
  const p = statePaths(folder)
  if (fs.existsSync(p.ready)) stopCluster(JSON.parse(fs.readFileSync(p.ready, "utf8")) as ClusterState)
  fs.rmSync(folder, { recursive: true, force: true })
}

let announced = false

/** Whether the Postgres suites can run here; prints the loud skip line once per worker otherwise. */
export const postgresAvailable = (): boolean => {
  const ok = postgresBin() !== undefined
  if (!ok && !announced) {
    announced = true
    process.stderr.write(`\n*** ${SKIP_LINE} ***\n\n`)
  }
  return ok
}

/** A database of its own for one suite, on the run's cluster; returns its URL. */
export const postgresDatabase = async (label: string): Promise<string> => {
  const state = await sharedCluster()
  const name = `t_${label
    .replace(/[^a-z0-9]/gi, "_")
    .toLowerCase()
    .slice(0, 30)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const { default: pg } = await import("pg")
  const client = new pg.Client({ connectionString: state.adminUrl })
  await client.connect()
  try {
    await client.query(`CREATE DATABASE ${name}`)
  } finally {
    await client.end()
  }
  return state.url.replace(/\/postgres$/, `/${name}`)
}
