/** What `cratos serve` is told, and the limits it holds every client to. */
export interface ServerOptions {
  readonly host: string
  /** 0 takes a free port. */
  readonly port: number
  /** Run the projector in this process (`--projector on`, the default). */
  readonly projector: boolean
  /** The web UI's built files (`apps/web/dist`); served when its index.html exists. */
  readonly webDist: string | null
  /** Per token: this many requests a second on average, in bursts of up to `rateBurst`. */
  readonly ratePerSecond: number
  readonly rateBurst: number
  /** Open SSE streams per token. */
  readonly maxStreamsPerToken: number
  /** A request body over this is refused with 413 (the store caps each event on its own). */
  readonly maxBodyBytes: number
  readonly maxUrlLength: number
  readonly maxHeaderBytes: number
  /** A client that has not sent its whole request by then is cut off (slow-client guard). */
  readonly requestTimeoutMs: number
  readonly headersTimeoutMs: number
  /** On SIGTERM/SIGINT, in-flight requests get this long to finish. */
  readonly shutdownGraceMs: number
  /** A verified token is trusted this long without a lookup: a revoked one stops working within it. */
  readonly tokenCacheMs: number
  /** How often the log's end is polled for events other processes append. */
  readonly pollMs: number
  /** An SSE comment is sent this often so proxies and clients see the stream is alive. */
  readonly heartbeatMs: number
}

export const defaultServerOptions: ServerOptions = {
  host: "127.0.0.1",
  port: 7777,
  projector: true,
  webDist: null,
  ratePerSecond: 2_000,
  rateBurst: 4_000,
  maxStreamsPerToken: 32,
  maxBodyBytes: 64 * 1024 * 1024,
  maxUrlLength: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  shutdownGraceMs: 10_000,
  tokenCacheMs: 1_000,
  pollMs: 100,
  heartbeatMs: 15_000
}
