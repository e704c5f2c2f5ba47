export declare const POSTGRES_PACKAGE = "postgresql";
export declare const SKIP_LINE: string;
/** The folder of the newest installed PostgreSQL's binaries, if any. */
export declare const postgresBin: () => string | undefined;
export interface ClusterState {
    readonly url: string;
    readonly adminUrl: string;
    readonly dataDir: string;
    readonly bin: string;
    readonly user: string | undefined;
}
export interface StartOptions {
    /** `fsync=off` etc. for tests (default); benchmarks pass `durable: true`. */
    readonly durable?: boolean;
    readonly maxConnections?: number;
}
/** Starts a cluster in `folder` (created, writable by the server's user); returns its state. */
export declare const startCluster: (folder: string, options?: StartOptions) => Promise<ClusterState>;
/** Stops a cluster started by `startCluster` (immediate mode: it is thrown away). */
export declare const stopCluster: (state: ClusterState) => void;
/** The env variable through which the globalSetup names the run's state folder. */
export declare const STATE_ENV = "CRATOS_TEST_PG_STATE";
/** A state folder for one run (made by the globalSetup). */
export declare const makeStateFolder: () => string;
/** Stops and removes the run's cluster, if one was started (the globalSetup's teardown). */
export declare const teardownShared: (folder: string) => void;
/** Whether the Postgres suites can run here; prints the loud skip line once per worker otherwise. */
export declare const postgresAvailable: () => boolean;
/** A database of its own for one suite, on the run's cluster; returns its URL. */
export declare const postgresDatabase: (label: string) => Promise<string>;
