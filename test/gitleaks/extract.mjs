#!/usr/bin/env node
/**
 * Extracts the example strings of gitleaks' rules into corpus.json (issue 14).
 *
 *   node test/gitleaks/extract.mjs <gitleaks checkout> [commit]
 *
 * Reads `cmd/generate/config/rules/*.go` and takes, from each rule function, the string
 * literals of its `tps` (true positives: a scanner must find a secret) and `fps` (false
 * positives: it must not). `utils.GenerateSampleSecrets(id, "secret")` and
 * `utils.GenerateSampleSecret(id, "secret")` are expanded with the templates of gitleaks'
 * `cmd/generate/config/utils/generate.go`, read from the same checkout. Examples built at run time
 * (`secrets.NewSecret(…)`, `fmt.Sprintf(…)`, variables) cannot be read from the source and are
 * counted as skipped. No Go is run and no gitleaks code is copied: only its example strings
 * (MIT; see LICENSE-gitleaks beside the output).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

const root = process.argv[2]
if (root === undefined) {
  process.stderr.write("usage: node test/gitleaks/extract.mjs <gitleaks checkout> [commit]\n")
  process.exit(2)
}
const commit = process.argv[3] ?? "unknown"

/** Go source as tokens: strings (decoded), comments dropped, everything else a character or a word. */
const tokenize = (src) => {
  const out = []
  let i = 0
  while (i < src.length) {
    const c = src[i]
    if (c === "/" && src[i + 1] === "/") {
      while (i < src.length && src[i] !== "\n") i++
    } else if (c === "/" && src[i + 1] === "*") {
      i = src.indexOf("*/", i + 2) + 2
    } else if (c === "`") {
      const end = src.indexOf("`", i + 1)
      out.push({ s: src.slice(i + 1, end).replace(/\r/g, "") })
      i = end + 1
    } else if (c === '"') {
      let j = i + 1
      let s = ""
      while (src[j] !== '"') {
        if (src[j] === "\\") {
          const e = src[j + 1]
          const simple = {
            n: "\n",
            t: "\t",
            r: "\r",
            '"': '"',
            "\\": "\\",
            "'": "'",
            a: "\x07",
            b: "\b",
            f: "\f",
            v: "\v"
          }
          if (e in simple) {
            s += simple[e]
            j += 2
          } else if (e === "x") {
            s += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16))
            j += 4
          } else if (e === "u") {
            s += String.fromCodePoint(parseInt(src.slice(j + 2, j + 6), 16))
            j += 6
          } else if (e === "U") {
            s += String.fromCodePoint(parseInt(src.slice(j + 2, j + 10), 16))
            j += 10
          } else throw new Error(`escape \\${e}`)
        } else s += src[j++]
      }
      out.push({ s })
      i = j + 1
    } else if (/\s/.test(c)) i++
    else if (/[A-Za-z0-9_.]/.test(c)) {
      let j = i
      while (j < src.length && /[A-Za-z0-9_.]/.test(src[j])) j++
      out.push({ w: src.slice(i, j) })
      i = j
    } else {
      out.push({ p: c })
      i++
    }
  }
  return out
}

/** The templates of GenerateSampleSecrets, read from gitleaks' own generate.go. */
const templates = (() => {
  const src = readFileSync(join(root, "cmd/generate/config/utils/generate.go"), "utf8")
  const body = src.slice(src.indexOf("func GenerateSampleSecrets"))
  const map = body.slice(body.indexOf("map[string]string{"), body.indexOf("replacer :="))
  const toks = tokenize(map)
  const out = []
  for (let k = 0; k + 2 < toks.length; k++) {
    if (toks[k].s !== undefined && toks[k + 1].p === ":" && toks[k + 2].s !== undefined) out.push(toks[k + 2].s)
  }
  return out
})()

const expand = (id, secret) =>
  templates.map((t) => t.replaceAll("{i}", id).replaceAll("{I}", id.toUpperCase()).replaceAll("{s}", secret))

/** The elements of one argument list/composite literal: token slices split at depth-0 commas. */
const splitTop = (toks) => {
  const parts = []
  let depth = 0
  let cur = []
  for (const t of toks) {
    if (t.p === "(" || t.p === "{" || t.p === "[") depth++
    if (t.p === ")" || t.p === "}" || t.p === "]") depth--
    if (depth === 0 && t.p === ",") {
      parts.push(cur)
      cur = []
    } else cur.push(t)
  }
  if (cur.length > 0) parts.push(cur)
  return parts
}

/** The strings one element stands for, or undefined when it is built at run time. */
const evaluate = (el) => {
  if (el.length > 0 && el[el.length - 1].p === "." && el.length >= 3) el = el.slice(0, -3) // `x...`
  if (el.length === 0) return []
  if (el.every((t, k) => (k % 2 === 0 ? t.s !== undefined : t.p === "+"))) {
    return [
      el
        .filter((t) => t.s !== undefined)
        .map((t) => t.s)
        .join("")
    ]
  }
  const call = el[0].w
  if ((call === "utils.GenerateSampleSecrets" || call === "utils.GenerateSampleSecret") && el[1]?.p === "(") {
    const args = splitTop(el.slice(2, -1))
    const lit = args.map((a) => evaluate(a))
    if (args.length === 2 && lit.every((v) => v !== undefined && v.length === 1)) {
      return call === "utils.GenerateSampleSecrets"
        ? expand(lit[0][0], lit[1][0])
        : [`${lit[0][0]}_api_token = "${lit[1][0]}"`]
    }
    return undefined
  }
  if (el[0].p === "[" && el[1]?.p === "]" && el[2]?.w === "string" && el[3]?.p === "{") {
    return collect(el.slice(4, -1))
  }
  return undefined
}

let skipped = 0
const collect = (toks) => {
  const out = []
  for (const el of splitTop(toks)) {
    const v = evaluate(el)
    if (v === undefined) {
      skipped++
      if (process.env.EXTRACT_DEBUG)
        process.stderr.write(
          `skip: ${el
            .map((t) => t.w ?? t.p ?? JSON.stringify(t.s))
            .join(" ")
            .slice(0, 100)}\n`
        )
    } else out.push(...v)
  }
  return out
}

/** The statement's right-hand side starting at token `k` (up to the end of its balanced expression). */
const rhs = (toks, k) => {
  let depth = 0
  const out = []
  for (let j = k; j < toks.length; j++) {
    const t = toks[j]
    if (t.p === "(" || t.p === "{" || t.p === "[") depth++
    if (t.p === ")" || t.p === "}" || t.p === "]") depth--
    out.push(t)
    if (depth === 0 && (t.p === ")" || t.p === "}" || (t.s !== undefined && toks[j + 1]?.p !== "+"))) {
      if (!(t.p === ")" && toks[j + 1]?.p === "{")) return out
    }
  }
  return out
}

const examples = []
const dir = join(root, "cmd/generate/config/rules")
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith(".go") && !f.endsWith("_test.go"))
  .sort()) {
  const toks = tokenize(readFileSync(join(dir, file), "utf8"))
  let rule = file.replace(/\.go$/, "")
  for (let k = 0; k < toks.length; k++) {
    if (toks[k].w === "RuleID" && toks[k + 1]?.p === ":" && toks[k + 2]?.s !== undefined) rule = toks[k + 2].s
    const name = toks[k].w
    if ((name !== "tps" && name !== "fps") || toks[k + 1]?.p === ",") continue
    const assign = toks[k + 1]?.p === ":" && toks[k + 2]?.p === "=" ? k + 3 : toks[k + 1]?.p === "=" ? k + 2 : -1
    if (assign < 0) continue
    const expr = rhs(toks, assign)
    let strings
    if (expr[0].w === "append" && expr[1].p === "(") {
      const args = splitTop(expr.slice(2, -1))
      strings = collect(args.slice(1).flat().length ? args.slice(1).flatMap((a) => [...a, { p: "," }]) : [])
    } else {
      const v = evaluate(expr)
      if (v === undefined) skipped++
      strings = v ?? []
    }
    for (const text of strings) examples.push({ rule, kind: name === "tps" ? "tp" : "fp", text })
  }
}

const seen = new Set()
const unique = examples.filter((e) => {
  const key = `${e.kind}\u0000${e.text}`
  if (seen.has(key)) return false
  seen.add(key)
  return true
})
const out = {
  source: "https://github.com/gitleaks/gitleaks cmd/generate/config/rules/*.go",
  commit,
  license: "MIT, Copyright (c) 2019 Zachary Rice (see LICENSE-gitleaks)",
  skipped,
  examples: unique
}
writeFileSync(new URL("./corpus.json", import.meta.url), `${JSON.stringify(out, null, 1)}\n`)
const tp = unique.filter((e) => e.kind === "tp").length
process.stdout.write(
  `gitleaks corpus: ${tp} true positives, ${unique.length - tp} false positives, ${skipped} skipped (built at run time)\n`
)
