/** `pnpm docs:routes`: rewrites the route list of apps/server/README.md from the OpenAPI document. */
import { readFileSync, writeFileSync } from "node:fs"
import { withRoutes } from "./routeTable.js"

const file = new URL("../README.md", import.meta.url)
writeFileSync(file, withRoutes(readFileSync(file, "utf8")))
