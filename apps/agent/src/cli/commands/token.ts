/** `cratos token create|list|revoke`: @cratos/server's token logic with the command's flags. */
import { createToken, listTokens, revokeToken, TokenStore } from "@cratos/server"
import { Database, EventStore, storageFor } from "@cratos/store"
import { Effect, Layer } from "effect"
import type { InvocationOf } from "../Commands.js"
import { CliFailure, ExitCode } from "../errors.js"
import { Output } from "../Output.js"

const usage = (reason: string) => Effect.fail(new CliFailure({ reason, exitCode: ExitCode.Usage }))

export const token = (inv: InvocationOf<"token">) =>
  Effect.gen(function* () {
    const out = yield* Output
    const [sub, name, ...rest] = inv.args
    if (rest.length > 0) return yield* usage("too many arguments")
    switch (sub) {
      case "create": {
        if (inv.flags.name === undefined || inv.flags.scopes === undefined)
          return yield* usage("token create needs --name and --scopes")
        const text = yield* createToken({ name: inv.flags.name, scopes: inv.flags.scopes, user: inv.flags.user }).pipe(
          Effect.catchTag("InvalidTokenArgs", (e) => usage(e.reason))
        )
        yield* out.line(text)
        return ExitCode.Ok
      }
      case "list":
        for (const line of yield* listTokens(inv.flags.json)) yield* out.line(line)
        return ExitCode.Ok
      case "revoke":
        if (name === undefined) return yield* usage("token revoke needs the token's NAME")
        yield* revokeToken(name)
        yield* out.error(`revoked ${name}`)
        return ExitCode.Ok
      default:
        return yield* usage(`token: create, list or revoke, not ${JSON.stringify(sub)}`)
    }
  }).pipe(
    Effect.catchTags({
      TokenNameTaken: (e) => Effect.fail(new CliFailure({ reason: e.message })),
      TokenNotFound: (e) => Effect.fail(new CliFailure({ reason: e.message }))
    }),
    Effect.provide(
      storageFor(inv.flags.db, {
        sqlite: (db) => TokenStore.layer.pipe(Layer.provide(Database.layer(db === undefined ? {} : { path: db }))),
        postgres: (url) => TokenStore.layerPostgres.pipe(Layer.provide(EventStore.layerPostgres({ url })))
      })
    )
  )
