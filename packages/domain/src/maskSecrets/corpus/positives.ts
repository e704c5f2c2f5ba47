/**
 * Labelled positives: strings and objects with planted (fake) secrets. Each case lists the
 * secret substrings that must be gone from the masked output and, for readability, context
 * substrings that must still be there. Every template is instantiated with several seeds, so
 * the same shape is checked with different random bodies.
 */
import { fakes, type Fakes } from "./fake.js"

export interface PositiveCase {
  readonly name: string
  readonly input: unknown
  /** Substrings that must not appear anywhere in the masked output. */
  readonly secrets: ReadonlyArray<string>
  /** Substrings that must still appear (strings: surrounding context stays readable). */
  readonly keep: ReadonlyArray<string>
}

type Template = (f: Fakes) => Omit<PositiveCase, "name">

const str = (input: string, secrets: ReadonlyArray<string>, keep: ReadonlyArray<string>) => ({ input, secrets, keep })

const TEMPLATES: Record<string, Template> = {
  // --- Authorization / Bearer / Basic -----------------------------------------------------
  "curl bearer header": (f) => {
    const t = f.bearer()
    return str(
      `curl -sS -H 'Authorization: Bearer ${t}' https://api.example.com/v1/me`,
      [t],
      ["curl -sS -H 'Authorization: Bearer ", "https://api.example.com/v1/me"]
    )
  },
  "curl basic header": (f) => {
    const p = f.password()
    const t = f.basic("deploy", p)
    return str(
      `curl -H "Authorization: Basic ${t}" https://ci.example.org/api`,
      [t],
      ["Authorization: Basic ", "https://ci.example.org/api"]
    )
  },
  "lowercase token scheme": (f) => {
    const t = f.github()
    return str(
      `http GET api.github.com/user "authorization: token ${t}"`,
      [t],
      ["authorization: token ", "api.github.com/user"]
    )
  },
  "fetch template literal": (f) => {
    const t = f.bearer()
    return str(
      "await fetch(url, { headers: { Authorization: `Bearer " + t + "` } })",
      [t],
      ["await fetch(url, { headers: { Authorization: `Bearer "]
    )
  },
  "raw http request": (f) => {
    const t = f.bearer()
    return str(
      `GET /v2/items HTTP/1.1\r\nHost: api.example.com\r\nAuthorization: Bearer ${t}\r\nAccept: */*\r\n`,
      [t],
      ["Host: api.example.com", "Accept: */*"]
    )
  },
  "proxy authorization": (f) => {
    const t = f.basic("proxyuser", f.password())
    return str(`Proxy-Authorization: Basic ${t}`, [t], ["Proxy-Authorization: Basic "])
  },
  "json text authorization": (f) => {
    const t = f.jwt()
    return str(
      `{"method":"POST","headers":{"Authorization":"Bearer ${t}","Content-Type":"application/json"}}`,
      [t],
      ['"Content-Type":"application/json"', '"method":"POST"']
    )
  },
  "bearer in log line": (f) => {
    const t = f.bearer()
    return str(
      `2024-05-01T10:00:00Z DEBUG sending request with Bearer ${t} to upstream`,
      [t],
      ["DEBUG sending request with Bearer ", "to upstream"]
    )
  },
  "basic in log line": (f) => {
    const t = f.basic("admin", f.password())
    return str(`upstream auth: Basic ${t} (retrying)`, [t], ["(retrying)"])
  },
  "authorization without scheme": (f) => {
    const t = f.mixed("abcdef0123456789", 32)
    return str(`X-Custom: 1\nAuthorization: ${t}\nX-Other: 2`, [t], ["X-Custom: 1", "X-Other: 2", "Authorization: "])
  },
  // --- URL credentials -----------------------------------------------------------------------
  "postgres url": (f) => {
    const p = f.password()
    return str(
      `psql postgres://app_user:${p}@db.internal:5432/app?sslmode=require`,
      [p],
      ["psql postgres://app_user:", "@db.internal:5432/app?sslmode=require"]
    )
  },
  "mysql url in env": (f) => {
    const p = f.password()
    return str(`DATABASE_URL=mysql://root:${p}@127.0.0.1:3306/shop`, [p], ["mysql://root:", "@127.0.0.1:3306/shop"])
  },
  "mongodb srv": (f) => {
    const p = f.password()
    return str(
      `mongosh "mongodb+srv://admin:${p}@cluster0.ab1cd.mongodb.net/test"`,
      [p],
      ["mongodb+srv://admin:", "@cluster0.ab1cd.mongodb.net/test"]
    )
  },
  "redis url empty user": (f) => {
    const p = f.password()
    return str(`redis-cli -u redis://:${p}@cache.local:6379/0 ping`, [p], ["redis://:", "@cache.local:6379/0 ping"])
  },
  "git clone with token": (f) => {
    const t = f.github()
    return str(
      `git clone https://x-access-token:${t}@github.com/acme/widgets.git`,
      [t],
      ["git clone https://x-access-token:", "@github.com/acme/widgets.git"]
    )
  },
  "amqp url": (f) => {
    const p = f.password()
    return str(`broker: amqp://guest:${p}@rabbit:5672/vhost`, [p], ["amqp://guest:", "@rabbit:5672/vhost"])
  },
  "https basic url": (f) => {
    const p = f.password()
    return str(
      `wget https://ci:${p}@artifacts.example.com/builds/latest.tar.gz`,
      [p],
      ["wget https://ci:", "@artifacts.example.com/builds/latest.tar.gz"]
    )
  },
  "password with at sign": (f) => {
    const p = f.word() + "@" + f.password()
    return str(`postgresql://svc:${p}@pg.example.net/db`, [p], ["postgresql://svc:", "@pg.example.net/db"])
  },
  // --- key=value and key: value --------------------------------------------------------------
  "mysql password flag": (f) => {
    const p = f.password()
    return str(
      `mysql -h db -u root --password=${p} -e 'select 1'`,
      [p],
      ["mysql -h db -u root --password=", "-e 'select 1'"]
    )
  },
  "pgpassword env": (f) => {
    const p = f.password()
    return str(`PGPASSWORD=${p} psql -h localhost -U app app`, [p], ["PGPASSWORD=", "psql -h localhost -U app app"])
  },
  "query api_key": (f) => {
    const k = f.mixed("0123456789abcdef", 32)
    return str(
      `GET https://api.weather.example/v1/forecast?city=Paris&api_key=${k}&units=metric`,
      [k],
      ["city=Paris&api_key=", "&units=metric"]
    )
  },
  "query access_token": (f) => {
    const k = f.bearer()
    return str(`https://graph.example.com/me?fields=id,name&access_token=${k}`, [k], ["fields=id,name&access_token="])
  },
  "export github token": (f) => {
    const t = f.github()
    return str(`export GITHUB_TOKEN=${t} && gh pr list`, [t], ["export GITHUB_TOKEN=", "&& gh pr list"])
  },
  "yaml password": (f) => {
    const p = f.password()
    return str(
      `database:\n  host: db\n  user: app\n  password: ${p}\n  port: 5432`,
      [p],
      ["host: db", "user: app", "port: 5432"]
    )
  },
  "json client_secret": (f) => {
    const s = f.mixed("abcdefghijklmnopqrstuvwxyz0123456789", 40)
    return str(
      `{"client_id": "web-app", "client_secret": "${s}", "redirect_uri": "https://app.example.com/cb"}`,
      [s],
      ['"client_id": "web-app"', '"redirect_uri": "https://app.example.com/cb"']
    )
  },
  "docker env password": (f) => {
    const p = f.password()
    return str(
      `docker run -d -e POSTGRES_PASSWORD=${p} -p 5432:5432 postgres:16`,
      [p],
      ["-e POSTGRES_PASSWORD=", "-p 5432:5432 postgres:16"]
    )
  },
  "ini aws secret": (f) => {
    const k = f.awsSecret()
    return str(
      `[default]\naws_access_key_id = ${f.aws()}\naws_secret_access_key = ${k}\nregion = eu-west-1`,
      [k],
      ["[default]", "region = eu-west-1"]
    )
  },
  "x-api-key header flag": (f) => {
    const k = f.mixed(BASE, 32)
    return str(
      `curl -H 'X-Api-Key: ${k}' https://api.example.com/items`,
      [k],
      ["curl -H 'X-Api-Key: ", "https://api.example.com/items"]
    )
  },
  "cookie header": (f) => {
    const s = f.mixed(BASE, 32)
    return str(
      `curl -b x -H "Cookie: sessionid=${s}; theme=dark" https://shop.example.com/cart`,
      [s],
      ["https://shop.example.com/cart", "Cookie: "]
    )
  },
  "set-cookie header": (f) => {
    const s = f.mixed(BASE, 40)
    return str(
      `HTTP/1.1 200 OK\nSet-Cookie: session=${s}; Path=/; HttpOnly; Secure\nContent-Length: 0`,
      [s],
      ["HTTP/1.1 200 OK", "Content-Length: 0"]
    )
  },
  "token flag spaced": (f) => {
    const t = f.mixed(BASE, 30)
    return str(
      `vault login --token ${t} --address https://vault.local`,
      [t],
      ["vault login --token ", "--address https://vault.local"]
    )
  },
  "api-key flag spaced": (f) => {
    const t = f.mixed(BASE, 30)
    return str(`mycli deploy --api-key "${t}" --env prod`, [t], ["mycli deploy --api-key", "--env prod"])
  },
  "npmrc auth token": (f) => {
    const t = f.npm()
    return str(`//registry.npmjs.org/:_authToken=${t}`, [t], ["//registry.npmjs.org/:_authToken="])
  },
  "passwd assignment": (f) => {
    const p = f.password()
    return str(`smbclient //fs/share -U alice passwd=${p}`, [p], ["smbclient //fs/share -U alice passwd="])
  },
  "mysql pwd env": (f) => {
    const p = f.password()
    return str(`MYSQL_PWD=${p} mysqldump shop > shop.sql`, [p], ["MYSQL_PWD=", "mysqldump shop > shop.sql"])
  },
  "private key property": (f) => {
    const k = f.mixed(BASE, 44)
    return str(
      `const cfg = { privateKey: "${k}", publicKey: "pk_${f.word()}" }`,
      [k],
      ["const cfg = { privateKey: ", "publicKey: "]
    )
  },
  "access key id assignment": (f) => {
    const k = f.aws()
    return str(`access_key_id=${k} region=us-east-1`, [k], ["access_key_id=", "region=us-east-1"])
  },
  "refresh token json": (f) => {
    const t = f.bearer()
    return str(
      `{"token_type":"bearer","expires_in":3600,"refresh_token":"${t}"}`,
      [t],
      ['"token_type":"bearer"', '"expires_in":3600']
    )
  },
  "connection string": (f) => {
    const p = f.password()
    return str(
      `Server=tcp:sql.example.net,1433;Database=app;User Id=svc;Password=${p};Encrypt=True;`,
      [p],
      ["Server=tcp:sql.example.net,1433;Database=app;User Id=svc;Password=", ";Encrypt=True;"]
    )
  },
  "python kwarg": (f) => {
    const p = f.password()
    return str(
      `conn = psycopg2.connect(host="db", user="app", password="${p}")`,
      [p],
      ['conn = psycopg2.connect(host="db", user="app", password="']
    )
  },
  "python assignment quoted": (f) => {
    const k = f.openai()
    return str(`OPENAI_API_KEY = "${k}"\nclient = OpenAI()`, [k], ["OPENAI_API_KEY = ", "client = OpenAI()"])
  },
  "escaped json in string": (f) => {
    const p = f.password()
    return str(`{\\"user\\":\\"bob\\",\\"password\\":\\"${p}\\"}`, [p], [`{\\"user\\":\\"bob\\",\\"password\\":\\"`])
  },
  "secret key env": (f) => {
    const s = f.mixed(BASE, 64)
    return str(`SECRET_KEY_BASE=${s} bin/rails server`, [s], ["bin/rails server"])
  },
  "session cookie value": (f) => {
    const s = f.mixed(BASE, 26)
    return str(`session=${s}`, [s], ["session="])
  },
  "php array": (f) => {
    const p = f.password()
    return str(`'password' => '${p}',`, [p], ["'password' => '"])
  },
  "go assignment": (f) => {
    const t = f.bearer()
    return str(`authToken := "${t}"`, [t], ["authToken := "])
  },
  "curl user password": (f) => {
    const p = f.password()
    return str(
      `curl -u admin:${p} https://jenkins.example.com/api/json`,
      [p],
      ["curl -u admin:", "https://jenkins.example.com/api/json"]
    )
  },
  "curl long user flag": (f) => {
    const p = f.password()
    return str(
      `curl --user "ci-bot:${p}" -X POST https://hooks.example.com`,
      [p],
      ['curl --user "ci-bot:', "-X POST https://hooks.example.com"]
    )
  },
  // --- PEM -------------------------------------------------------------------------------------
  "rsa private key": (f) => {
    const b = f.pemBody(6)
    return str(`-----BEGIN RSA PRIVATE KEY-----\n${b}\n-----END RSA PRIVATE KEY-----\n`, b.split("\n"), [
      "-----BEGIN RSA PRIVATE KEY-----",
      "-----END RSA PRIVATE KEY-----"
    ])
  },
  "pkcs8 private key in cat output": (f) => {
    const b = f.pemBody(4)
    return str(`$ cat key.pem\n-----BEGIN PRIVATE KEY-----\n${b}\n-----END PRIVATE KEY-----\n$ ls`, b.split("\n"), [
      "$ cat key.pem",
      "-----END PRIVATE KEY-----\n$ ls"
    ])
  },
  "openssh private key": (f) => {
    const b = f.pemBody(5)
    return str(`-----BEGIN OPENSSH PRIVATE KEY-----\n${b}\n-----END OPENSSH PRIVATE KEY-----`, b.split("\n"), [
      "-----BEGIN OPENSSH PRIVATE KEY-----"
    ])
  },
  "ec private key": (f) => {
    const b = f.pemBody(3)
    return str(`key:\n-----BEGIN EC PRIVATE KEY-----\n${b}\n-----END EC PRIVATE KEY-----`, b.split("\n"), [
      "-----BEGIN EC PRIVATE KEY-----"
    ])
  },
  "encrypted legacy pem": (f) => {
    const iv = f.hex(32).toUpperCase()
    const b = f.pemBody(4)
    return str(
      `-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,${iv}\n\n${b}\n-----END RSA PRIVATE KEY-----`,
      [iv, ...b.split("\n")],
      ["-----END RSA PRIVATE KEY-----"]
    )
  },
  "pgp private key block": (f) => {
    const b = f.pemBody(4)
    return str(`-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${b}\n-----END PGP PRIVATE KEY BLOCK-----`, b.split("\n"), [
      "-----BEGIN PGP PRIVATE KEY BLOCK-----"
    ])
  },
  "truncated private key": (f) => {
    const b = f.pemBody(3)
    return str(`head -c 300 id_rsa\n-----BEGIN RSA PRIVATE KEY-----\n${b}`, b.split("\n"), ["head -c 300 id_rsa"])
  },
  "private key with escaped newlines": (f) => {
    const b = f.pemBody(3)
    const escaped = b.split("\n").join("\\n")
    return str(
      `{"type":"service_account","private_key":"-----BEGIN PRIVATE KEY-----\\n${escaped}\\n-----END PRIVATE KEY-----\\n"}`,
      b.split("\n"),
      ['{"type":"service_account"']
    )
  },
  // --- JWT ---------------------------------------------------------------------------------------
  "jwt alone": (f) => {
    const t = f.jwt()
    return str(t, [t], [])
  },
  "jwt in cookie-less prose": (f) => {
    const t = f.jwt()
    return str(`decoded id_token ${t} for user 42`, [t], ["decoded id_token ", " for user 42"])
  },
  "jwt in query": (f) => {
    const t = f.jwt()
    return str(
      `https://app.example.com/callback?state=abc&jwt=${t}`,
      [t],
      ["https://app.example.com/callback?state=abc&jwt="]
    )
  },
  // --- provider tokens ---------------------------------------------------------------------------
  "aws key id in command": (f) => {
    const k = f.aws()
    return str(`aws configure set aws_access_key_id ${k}`, [k], ["aws configure set aws_access_key_id "])
  },
  "aws key in prose": (f) => {
    const k = f.aws()
    return str(`found key ${k} in config.`, [k], ["found key ", " in config."])
  },
  "github token in remote": (f) => {
    const t = f.github()
    return str(
      `git remote set-url origin https://${t}@github.com/acme/app.git`,
      [t],
      ["git remote set-url origin https://", "@github.com/acme/app.git"]
    )
  },
  "github fine-grained pat": (f) => {
    const t = f.githubPat()
    return str(`echo ${t} | gh auth login --with-token`, [t], ["echo ", " | gh auth login --with-token"])
  },
  "openai key in command": (f) => {
    const k = f.openai()
    return str(`python run.py --model gpt-4o --key-from-env=false ${k}`, [k], ["python run.py --model gpt-4o"])
  },
  "openai key pasted": (f) => {
    const k = f.openai()
    return str(`here is my key ${k} please use it`, [k], ["here is my key ", " please use it"])
  },
  "anthropic key": (f) => {
    const k = f.anthropic()
    return str(`ANTHROPIC=${k}`, [k], [])
  },
  "anthropic key in json": (f) => {
    const k = f.anthropic()
    return str(`{"provider":"anthropic","k":"${k}"}`, [k], ['{"provider":"anthropic","k":"'])
  },
  "slack token": (f) => {
    const t = f.slack()
    return str(`curl -d token=${t} https://slack.com/api/auth.test`, [t], ["https://slack.com/api/auth.test"])
  },
  "slack token bare": (f) => {
    const t = f.slack()
    return str(`slack bot ${t} joined`, [t], ["slack bot ", " joined"])
  },
  "stripe key": (f) => {
    const k = f.stripe()
    return str(`stripe customers list --api-key ${k}`, [k], ["stripe customers list --api-key "])
  },
  "stripe key bare": (f) => {
    const k = f.stripe()
    return str(`key=${"x"} other ${k} end`, [k], [" end"])
  },
  "google api key": (f) => {
    const k = f.google()
    return str(
      `https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key=${k}`,
      [k],
      ["https://maps.googleapis.com/maps/api/geocode/json?address=Paris&key="]
    )
  },
  "gitlab token": (f) => {
    const t = f.gitlab()
    return str(
      `curl --header "PRIVATE-TOKEN: ${t}" https://gitlab.example.com/api/v4/projects`,
      [t],
      ["https://gitlab.example.com/api/v4/projects"]
    )
  },
  "gitlab token bare": (f) => {
    const t = f.gitlab()
    return str(`use ${t} for CI`, [t], ["use ", " for CI"])
  },
  "npm token bare": (f) => {
    const t = f.npm()
    return str(`npm config set //registry.npmjs.org/ ${t}`, [t], ["npm config set //registry.npmjs.org/ "])
  },
  // --- objects -----------------------------------------------------------------------------------
  "object apiKey": (f) => {
    const k = f.mixed(BASE, 32)
    return {
      input: { service: "maps", apiKey: k, region: "eu" },
      secrets: [k],
      keep: ['"service":"maps"', '"region":"eu"']
    }
  },
  "object X-Api-Key header": (f) => {
    const k = f.mixed(BASE, 32)
    return {
      input: { url: "https://api.example.com", headers: { "X-Api-Key": k, Accept: "application/json" } },
      secrets: [k],
      keep: ['"Accept":"application/json"']
    }
  },
  "object x_api_key": (f) => {
    const k = f.mixed(BASE, 32)
    return { input: { x_api_key: k }, secrets: [k], keep: ["x_api_key"] }
  },
  "object passwd and pwd": (f) => {
    const a = f.password()
    const b = f.password()
    return { input: { user: "root", passwd: a, pwd: b }, secrets: [a, b], keep: ['"user":"root"'] }
  },
  "object privateKey": (f) => {
    const k = f.mixed(BASE, 44)
    return {
      input: { signer: { privateKey: k, publicKey: "ssh-ed25519 AAAAC3Nza" } },
      secrets: [k],
      keep: ["ssh-ed25519 AAAAC3Nza"]
    }
  },
  "object private_key": (f) => {
    const k = f.mixed(BASE, 44)
    return { input: { private_key: k, private_key_path: "/etc/keys/id" }, secrets: [k], keep: ["/etc/keys/id"] }
  },
  "object access_key_id": (f) => {
    const k = f.aws()
    return { input: { access_key_id: k, region: "us-east-1" }, secrets: [k], keep: ['"region":"us-east-1"'] }
  },
  "object cookie and set-cookie": (f) => {
    const a = f.mixed(BASE, 30)
    const b = f.mixed(BASE, 30)
    return {
      input: { response: { headers: { "set-cookie": [`sid=${a}; Path=/`], cookie: `sid=${b}` }, status: 200 } },
      secrets: [a, b],
      keep: ['"status":200']
    }
  },
  "object session": (f) => {
    const s = f.mixed(BASE, 30)
    return { input: { session: s, sessionCount: 3 }, secrets: [s], keep: ['"sessionCount":3'] }
  },
  "object authorization nested": (f) => {
    const t = f.bearer()
    return {
      input: { request: { method: "GET", headers: { authorization: `Bearer ${t}` } } },
      secrets: [t],
      keep: ['"method":"GET"']
    }
  },
  "header pairs as arrays": (f) => {
    const t = f.bearer()
    return {
      input: {
        headers: [
          ["Accept", "*/*"],
          ["Authorization", `Bearer ${t}`]
        ]
      },
      secrets: [t],
      keep: ['["Accept","*/*"]', '"Authorization"']
    }
  },
  "header pairs as name/value": (f) => {
    const k = f.mixed(BASE, 32)
    return {
      input: {
        headers: [
          { name: "Accept", value: "*/*" },
          { name: "X-Api-Key", value: k }
        ]
      },
      secrets: [k],
      keep: ['{"name":"Accept","value":"*/*"}', '"X-Api-Key"']
    }
  },
  "secrets in nested command": (f) => {
    const p = f.password()
    const t = f.github()
    return {
      input: { tool: "shell", input: { cmd: `PGPASSWORD=${p} psql -c 'select 1'`, env: { GH: t } } },
      secrets: [p, t],
      keep: ["psql -c 'select 1'", '"tool":"shell"']
    }
  },
  "refresh and access tokens": (f) => {
    const a = f.bearer()
    const b = f.bearer()
    return { input: { accessToken: a, refresh_token: b, expiresIn: 3600 }, secrets: [a, b], keep: ['"expiresIn":3600'] }
  },
  "client secret object": (f) => {
    const s = f.mixed(BASE, 40)
    return { input: { provider: { clientId: "app", clientSecret: s } }, secrets: [s], keep: ['"clientId":"app"'] }
  },
  "secret under array of objects": (f) => {
    const k = f.openai()
    return {
      input: { steps: [{ run: "echo hi" }, { run: `OPENAI_API_KEY=${k} python app.py` }] },
      secrets: [k],
      keep: ['"run":"echo hi"', "python app.py"]
    }
  },
  "token as map key": (f) => {
    const t = f.github()
    return { input: { cache: { [t]: { user: "bob" } } }, secrets: [t], keep: ['"user":"bob"'] }
  },
  "url in body": (f) => {
    const p = f.password()
    return { input: { body: { dsn: `postgres://u:${p}@db/app` } }, secrets: [p], keep: ["postgres://u:", "@db/app"] }
  },
  "jwt in object field": (f) => {
    const t = f.jwt()
    return { input: { id: f.uuid(), claims: null, raw: t }, secrets: [t], keep: ['"claims":null'] }
  }
}

const BASE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** Instances per template. */
const SEEDS = [1, 2, 3]

export const POSITIVES: ReadonlyArray<PositiveCase> = Object.entries(TEMPLATES).flatMap(([name, template]) =>
  SEEDS.map((seed) => ({ name: `${name} #${seed}`, ...template(fakes(seed * 7919 + name.length)) }))
)
