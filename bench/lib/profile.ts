/**
 * `--profile DIR`: a V8 CPU profile of each measured (non-ceiling) run only, through the
 * inspector, so that setup (building the log, the ceiling runs) stays out of it. Same format as
 * `node --cpu-prof` (open in Chrome DevTools or speedscope).
 */
import * as fs from "node:fs"
import { Session } from "node:inspector/promises"
import * as path from "node:path"

let session: Session | undefined

export const profiled = async <A>(dir: string | undefined, name: string, f: () => Promise<A>): Promise<A> => {
  if (dir === undefined) return f()
  if (session === undefined) {
    session = new Session()
    session.connect()
    await session.post("Profiler.enable")
    await session.post("Profiler.setSamplingInterval", { interval: 200 })
  }
  await session.post("Profiler.start")
  try {
    return await f()
  } finally {
    const { profile } = await session.post("Profiler.stop")
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile))
  }
}
