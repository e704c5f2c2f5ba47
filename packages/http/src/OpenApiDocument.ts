/**
 * The OpenAPI 3.1 document of `CratosApi`, generated from the definition (never written by hand),
 * with the security schemes every `/api/v1` operation accepts.
 */
import { OpenApi } from "@effect/platform"
import { CratosApi, SESSION_COOKIE } from "./CratosApi.js"

const API_PREFIX = "/api/v1/"

/** Adds the bearer and cookie schemes to the document and to each `/api/v1` operation. */
const withSecurity = (spec: Record<string, any>): Record<string, any> => {
  const paths: Record<string, Record<string, any>> = spec.paths ?? {}
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith(API_PREFIX)) continue
    for (const operation of Object.values(item)) {
      if (operation !== null && typeof operation === "object" && "responses" in operation) {
        operation.security = [{ bearer: [] }, { session: [] }]
      }
    }
  }
  return {
    ...spec,
    components: {
      ...spec.components,
      securitySchemes: {
        ...spec.components?.securitySchemes,
        bearer: { type: "http", scheme: "bearer", description: "A token made by `cratos token create`." },
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "Set by the login link `/?token=…`; accepted from the server's own origin only."
        }
      }
    }
  }
}

/** The document served at `/api/v1/openapi.json`. */
export const openApiDocument = (): Record<string, any> =>
  withSecurity(OpenApi.fromApi(CratosApi) as Record<string, any>)
