/** The throwaway PostgreSQL cluster of the test run (defined beside the benchmarks, which start one too). */
export * from "../../bench/lib/postgresCluster.js"
