import * as G from "./workloads/groupCommit.js"
import { storeAppend } from "./workloads/append.js"
for (let i = 0; i < 2; i++) {
  let c0 = process.cpuUsage(); let t0 = performance.now()
  const r = await G.run(1000)
  let c = process.cpuUsage(c0); console.log("W1g", (r.events / r.seconds).toFixed(0), "wall", (performance.now() - t0).toFixed(0), "cpu", ((c.user + c.system) / 1000).toFixed(0), "groups", r.groups)
  c0 = process.cpuUsage(); t0 = performance.now()
  const s = await storeAppend("single", 1000)
  c = process.cpuUsage(c0); console.log("W1 ", (s.events / s.seconds).toFixed(0), "wall", (performance.now() - t0).toFixed(0), "cpu", ((c.user + c.system) / 1000).toFixed(0))
}
