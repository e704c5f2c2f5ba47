/**
 * The planted-secrets workspace of issue 14: a `.env` holding an OpenAI key, an AWS secret, a
 * GitHub token and a database password, and where to look for them afterwards.
 */
import * as fs from "node:fs"
import * as path from "node:path"

export const PLANTED = {
  openai: "sk-proj-Q2x9Lr7VbN4mT8kP1wZ6yH3jD5fC0aS",
  aws: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzQ3vK8pLm2",
  github: "ghp_R8kP2mX7nQ4vL9tB3wY6zH1jD5fC0aS2eU7Q",
  dbPassword: "hunter2horse-Db-9"
} as const

export const SECRETS: ReadonlyArray<string> = Object.values(PLANTED)

export const ENV_FILE = [
  `OPENAI_API_KEY=${PLANTED.openai}`,
  `AWS_SECRET_ACCESS_KEY=${PLANTED.aws}`,
  `GITHUB_TOKEN=${PLANTED.github}`,
  `DATABASE_URL=postgres://app:${PLANTED.dbPassword}@db/app`,
  ""
].join("\n")

/** A workspace folder whose `.env` holds the planted secrets. */
export const plantWorkspace = (dir: string): string => {
  const ws = path.join(dir, "ws")
  fs.mkdirSync(ws, { recursive: true })
  fs.writeFileSync(path.join(ws, ".env"), ENV_FILE)
  return ws
}

/** The planted secrets found in `text`, named by what they are (never printed whole). */
export const secretsIn = (text: string | Buffer): Array<string> => {
  const bytes = typeof text === "string" ? Buffer.from(text) : text
  return Object.entries(PLANTED)
    .filter(([, s]) => bytes.includes(Buffer.from(s)))
    .map(([name]) => name)
}

/** Every planted secret found in a database file, its WAL and its SHM, as `name in file`. */
export const secretsInDatabase = (file: string): Array<string> =>
  ["", "-wal", "-shm"].flatMap((suffix) =>
    fs.existsSync(file + suffix)
      ? secretsIn(fs.readFileSync(file + suffix)).map((name) => `${name} in ${path.basename(file + suffix)}`)
      : []
  )
