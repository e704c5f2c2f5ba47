/**
 * @cratos/http — the HTTP API definition shared by the server, the CLI's `--server` mode and the
 * web UI. Browser-safe (no Node import).
 */
export * from "./CratosApi.js"
export * from "./OpenApiDocument.js"
export * from "./Problem.js"
export * from "./RerunLinks.js"
export * from "./Schemas.js"
export * from "./stateAt.js"
export * from "./StatusSeries.js"
