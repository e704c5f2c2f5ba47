/**
 * @cratos/server — `cratos serve`: the HTTP API of `@cratos/http` over the EventStore, ReadModel
 * and projector, and the token commands.
 */
export { startServer, type RunningServer } from "./HttpServer.js"
export { serve, type ServeArgs } from "./serve.js"
export { defaultServerOptions, type ServerOptions } from "./ServerOptions.js"
export { serverStorage } from "./ServerStorage.js"
export * from "./tokens/Scope.js"
export { TokenNameTaken, TokenNotFound, TokenStore, type TokenInfo } from "./tokens/TokenStore.js"
export * from "./tokens/tokenCommands.js"
