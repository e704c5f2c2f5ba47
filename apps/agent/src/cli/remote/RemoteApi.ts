/**
 * `cratos --server URL --token T …`: the typed `HttpApiClient` of `CratosApi` with the bearer
 * token, and its failures as CliFailures (the problem's detail, or why the server could not be
 * reached) — never the token.
 */
import { type Timestamp, Uuid } from "@cratos/domain"
import { CratosApi } from "@cratos/http"
import { FetchHttpClient, HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Either } from "effect"
import { CliFailure, ExitCode } from "../errors.js"

/** The branded types the client's results carry (named here so the declaration can name them). */
export type ClientBrands = Timestamp.Timestamp | Uuid.Uuid

export interface RemoteFlags {
  readonly server: string | undefined
  readonly token: string | undefined
}

export const makeClient = (flags: RemoteFlags) =>
  Effect.gen(function* () {
    const server = flags.server ?? ""
    const token = flags.token ?? process.env["CRATOS_TOKEN"]
    if (token === undefined || token === "") {
      return yield* Effect.fail(
        new CliFailure({ reason: "--server needs --token T (or $CRATOS_TOKEN)", exitCode: ExitCode.Usage })
      )
    }
    if (!/^https?:\/\/[^/]+/.test(server)) {
      return yield* Effect.fail(
        new CliFailure({ reason: `--server: not an http(s) URL: ${server}`, exitCode: ExitCode.Usage })
      )
    }
    return yield* HttpApiClient.make(CratosApi, {
      baseUrl: server.replace(/\/+$/, ""),
      transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(token))
    })
  }).pipe(Effect.provide(FetchHttpClient.layer))

/** The typed client `makeClient` builds. */
export type RemoteClient = Effect.Effect.Success<ReturnType<typeof makeClient>>

/**
 * The execution id a reference names on the server: `last` is the newest the token may see, a
 * UUID in any spelling its canonical form (as locally); other references go as they are.
 */
export const remoteExecutionId = (client: RemoteClient, ref: string) =>
  Effect.gen(function* () {
    if (ref === "last") {
      const page = yield* client.executions.list({ urlParams: { limit: 1 } })
      const first = page.items[0]
      if (first === undefined) return yield* Effect.fail(new CliFailure({ reason: "no executions yet" }))
      return first.id
    }
    const uuid = Uuid.parseUuid(ref)
    return Either.isRight(uuid) ? (uuid.right as string) : ref
  })

/** A client call's failure as one line. */
export const remoteFailure =
  (server: string) =>
  (e: unknown): CliFailure => {
    if (typeof e === "object" && e !== null && "detail" in e && typeof (e as { detail: unknown }).detail === "string") {
      return new CliFailure({ reason: (e as { detail: string }).detail })
    }
    const tag = typeof e === "object" && e !== null && "_tag" in e ? String((e as { _tag: unknown })._tag) : "error"
    if (tag === "RequestError") return new CliFailure({ reason: `cannot reach ${server}` })
    if (tag === "ParseError" || tag === "ResponseError")
      return new CliFailure({ reason: `${server} answered something this cratos cannot read` })
    return new CliFailure({ reason: `${server}: ${tag}` })
  }
