/**
 * The browser's side of the server: the login link `/?token=…` (sets the HttpOnly, SameSite=Strict
 * session cookie and redirects to `/` so the token leaves the address bar and history), and the
 * web UI's built files from `apps/web/dist` (index.html for any path that is not a file), or a
 * plain page saying how to get the link when the UI is not built.
 */
import { existsSync, statSync } from "node:fs"
import { extname, join, normalize, sep } from "node:path"
import { SESSION_COOKIE } from "@cratos/http"
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Clock, Effect } from "effect"
import { ServerContext } from "../ServerContext.js"
import { SESSION_MAX_AGE_SECONDS } from "../Sessions.js"
import { verifyToken } from "../Authenticate.js"

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".map": "application/json",
  ".txt": "text/plain; charset=utf-8"
}

const page = (title: string, body: string, status = 200) =>
  HttpServerResponse.text(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
      `<title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`,
    { status, contentType: "text/html; charset=utf-8", headers: SECURITY_HEADERS }
  )

const HOW_TO_LOG_IN =
  "<p>Open the login link that <code>cratos serve</code> prints on its standard error " +
  "(<code>cratos: open http://HOST:PORT/?token=…</code>), or make a token with " +
  "<code>cratos token create --name NAME --scopes read,approve</code> and open <code>/?token=TOKEN</code>.</p>"

const login = (token: string) =>
  Effect.gen(function* () {
    const principal = yield* verifyToken(token).pipe(Effect.orElseSucceed(() => null))
    if (principal === null) return page("Cratos: this link is not valid", HOW_TO_LOG_IN, 401)
    const { sessions } = yield* ServerContext
    const session = sessions.create(principal.tokenId, yield* Clock.currentTimeMillis)
    return HttpServerResponse.empty({ status: 303, headers: { location: "/", ...SECURITY_HEADERS } }).pipe(
      HttpServerResponse.unsafeSetCookie(SESSION_COOKIE, session, {
        httpOnly: true,
        sameSite: "strict",
        path: "/",
        maxAge: `${SESSION_MAX_AGE_SECONDS} seconds`
      })
    )
  })

/** The file of `dist` a URL path names, or undefined (never outside `dist`). */
export const fileIn = (dist: string, pathname: string): string | undefined => {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes("\0")) return undefined
  const file = normalize(join(dist, decoded))
  if (!file.startsWith(dist.endsWith(sep) ? dist : dist + sep)) return undefined
  return existsSync(file) && statSync(file).isFile() ? file : undefined
}

const serveFile = (file: string) =>
  HttpServerResponse.file(file, {
    contentType: TYPES[extname(file)] ?? "application/octet-stream",
    headers: {
      ...SECURITY_HEADERS,
      "cache-control": file.includes(`${sep}assets${sep}`) ? "public, max-age=31536000, immutable" : "no-cache"
    }
  }).pipe(Effect.orDie)

export const web = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const url = new URL(request.url, "http://localhost")
  const token = url.searchParams.get("token")
  if (url.pathname === "/" && token !== null) return yield* login(token)
  const { options } = yield* ServerContext
  const dist = options.webDist
  const index = dist === null ? undefined : fileIn(dist, "/index.html")
  if (dist === null || index === undefined) {
    return page(
      "Cratos",
      `${HOW_TO_LOG_IN}<p>The web UI is not built here (<code>pnpm build</code> makes <code>apps/web/dist</code>); ` +
        `the API is at <code>/api/v1</code>, described by <code>/api/v1/openapi.json</code>.</p>`
    )
  }
  const file = fileIn(dist, url.pathname)
  if (file !== undefined) return yield* serveFile(file)
  if (extname(url.pathname) !== "") return page("Not found", "<p>No such file.</p>", 404)
  return yield* serveFile(index)
})
