/**
 * What the services' `layerPostgres` load on first use (one dynamic import): the pool, the store
 * and retention on PostgreSQL. Nothing here imports a service tag, so no module imports its importer.
 */
export { PostgresDatabase } from "./PostgresDatabase.js"
export { makeWith as makeEventStore } from "./PostgresEventStore.js"
export { make as makeRetention } from "./PostgresRetention.js"
