import { describe, expect, it } from "vitest"
import { normalizeKey, splitWords } from "./keyWords.js"
import { isSecretName } from "./secretName.js"

describe("splitWords", () => {
  it("splits camelCase, kebab-case, snake_case, dots, spaces and capital runs", () => {
    expect(splitWords("apiKey")).toEqual(["api", "key"])
    expect(splitWords("X-Api-Key")).toEqual(["x", "api", "key"])
    expect(splitWords("x_api_key")).toEqual(["x", "api", "key"])
    expect(splitWords("APIKey")).toEqual(["api", "key"])
    expect(splitWords("spring.datasource.password")).toEqual(["spring", "datasource", "password"])
    expect(splitWords("Set Cookie")).toEqual(["set", "cookie"])
    expect(splitWords("oauth2Token")).toEqual(["oauth2", "token"])
    expect(splitWords("--")).toEqual([])
    expect(normalizeKey("AWS_SECRET_ACCESS_KEY")).toBe("aws secret access key")
  })
})

describe("isSecretName", () => {
  const secret = [
    "apiKey",
    "X-Api-Key",
    "x_api_key",
    "api-key",
    "APIKEY",
    "passwd",
    "pwd",
    "MYSQL_PWD",
    "privateKey",
    "private_key",
    "access_key_id",
    "accessKeyId",
    "client_secret",
    "clientSecret",
    "cookie",
    "Cookie",
    "set-cookie",
    "Set-Cookie",
    "session",
    "userSession",
    "sessionId",
    "session_token",
    "authorization",
    "Proxy-Authorization",
    "secret_key",
    "SECRET_KEY_BASE",
    "refresh_token",
    "accessToken",
    "id_token",
    "PGPASSWORD",
    "DB_PASSWORD",
    "password_confirmation",
    "GITHUB_TOKEN",
    "_authToken",
    "NPM_AUTH_TOKEN",
    "JWT_SECRET",
    "jwt",
    "passphrase",
    "otp",
    "auth",
    "basic_auth",
    "bearer",
    "credentials",
    "creds",
    "X-Amz-Security-Token",
    "X-Amz-Signature",
    "sig",
    "pass",
    "signingKey",
    "encryption_key",
    "cookieValue",
    "authHeader"
  ]
  const notSecret = [
    "author",
    "authors",
    "authority",
    "oauth_callback",
    "monkey",
    "keyboard",
    "turkey",
    "key",
    "keys",
    "publicKey",
    "public_key",
    "sessionCount",
    "session_timeout",
    "sessionStart",
    "tokenCount",
    "token_count",
    "max_tokens",
    "input_tokens",
    "tokens",
    "tokenizer",
    "passwordPolicy",
    "password_hint",
    "privateKeyPath",
    "private_key_file",
    "cookieDomain",
    "cookieName",
    "apiKeyName",
    "auth_method",
    "AUTH_URL",
    "token_type",
    "grant_type",
    "client_id",
    "key_id",
    "secret_name",
    "PWD",
    "OLDPWD",
    "bypass",
    "compass",
    "passenger",
    "passport",
    "secretary",
    "name",
    "value",
    "description",
    "path",
    "url",
    "sha",
    "digest",
    "signature"
  ]
  it.each(secret)("%s is a secret name", (name) => expect(isSecretName(name)).toBe(true))
  it.each(notSecret)("%s is not a secret name", (name) => expect(isSecretName(name)).toBe(false))

  it("adds the caller's word sequences", () => {
    expect(isSecretName("userSsn")).toBe(false)
    expect(isSecretName("userSsn", [["ssn"]])).toBe(true)
    expect(isSecretName("USER_SSN", [["ssn"]])).toBe(true)
  })
})
