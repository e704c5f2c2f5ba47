/**
 * `@cratos/store/sql`: the SQLite store's operations (Drizzle's builder, prepared per connection),
 * for the benchmarks that measure them against the raw driver (`bench/drizzlePath.ts`). The
 * application uses them only through `EventStore`, `Retention` and `GroupCommit`.
 */
export { prepareAppendToStream } from "./appendToStream.js"
export { drizzleOn } from "./drizzleOn.js"
export { prepareFindIdempotencyKey } from "./findIdempotencyKey.js"
export { prepareReadLogPage } from "./readLogPage.js"
export { prepareReadStream } from "./readStream.js"
