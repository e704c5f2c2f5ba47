/** cratos-projector's entry point (see Worker.ts). */
import { runWorker } from "./Worker.js"

process.exitCode = await runWorker(process.argv.slice(2))
