#!/usr/bin/env node
/**
 * Converts gitleaks' default configuration (config/gitleaks.toml, MIT) into
 * src/maskSecrets/gitleaksRuleData.ts, the rule set maskString runs as data (issue 14).
 *
 *   node packages/domain/scripts/gitleaksRules.mjs <gitleaks.toml> <gitleaks commit>
 *
 * gitleaks' regexes are RE2; JavaScript on Node 20 lacks inline flags (`(?i)`, `(?i:…)`,
 * `(?-i:…)`, `(?s:…)`), `\z` and POSIX classes, so each pattern is rewritten: case-insensitive
 * regions spell both cases (`[kK]`), dot-all regions use `[\s\S]`. A rule whose rewritten
 * pattern does not compile is left out and named on stderr.
 */
import { readFileSync, writeFileSync } from "node:fs"

const [tomlPath, commit] = process.argv.slice(2)
if (tomlPath === undefined || commit === undefined) {
  process.stderr.write("usage: node packages/domain/scripts/gitleaksRules.mjs <gitleaks.toml> <commit>\n")
  process.exit(2)
}

// ---- the TOML subset gitleaks.toml uses: tables, arrays of tables, strings, numbers, arrays ----
const parseToml = (text) => {
  const root = {}
  let table = root
  let i = 0
  const ws = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++
      if (text[i] === "#") while (i < text.length && text[i] !== "\n") i++
      else return
    }
  }
  const value = () => {
    ws()
    if (text.startsWith("'''", i)) {
      let end = text.indexOf("'''", i + 3)
      while (text[end + 3] === "'") end++
      let s = text.slice(i + 3, end)
      if (s.startsWith("\n")) s = s.slice(1)
      i = end + 3
      return s
    }
    if (text[i] === "'") {
      const end = text.indexOf("'", i + 1)
      const s = text.slice(i + 1, end)
      i = end + 1
      return s
    }
    if (text[i] === '"') {
      let j = i + 1
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1
      const s = JSON.parse(text.slice(i, j + 1))
      i = j + 1
      return s
    }
    if (text[i] === "[") {
      i++
      const arr = []
      for (;;) {
        ws()
        if (text[i] === "]") {
          i++
          return arr
        }
        arr.push(value())
        ws()
        if (text[i] === ",") i++
      }
    }
    const m = /^[^\s,\]]+/.exec(text.slice(i))
    i += m[0].length
    if (m[0] === "true" || m[0] === "false") return m[0] === "true"
    return Number(m[0])
  }
  for (;;) {
    ws()
    if (i >= text.length) return root
    if (text.startsWith("[[", i)) {
      const end = text.indexOf("]]", i)
      const path = text
        .slice(i + 2, end)
        .trim()
        .split(".")
      i = end + 2
      let parent = root
      for (const p of path.slice(0, -1)) {
        const v = parent[p]
        parent = Array.isArray(v) ? v[v.length - 1] : v
      }
      const last = path[path.length - 1]
      parent[last] ??= []
      table = {}
      parent[last].push(table)
    } else if (text[i] === "[") {
      const end = text.indexOf("]", i)
      const name = text.slice(i + 1, end).trim()
      i = end + 1
      root[name] ??= {}
      table = root[name]
    } else {
      const eq = text.indexOf("=", i)
      const key = text.slice(i, eq).trim()
      i = eq + 1
      table[key] = value()
    }
  }
}

// ---- RE2 to JavaScript (no flags needed) ----
const POSIX = {
  alnum: "A-Za-z0-9",
  alpha: "A-Za-z",
  digit: "0-9",
  lower: "a-z",
  upper: "A-Z",
  space: "\\s",
  xdigit: "0-9A-Fa-f",
  word: "\\w",
  punct: "!-\\/:-@\\[-`{-~"
}
const isLetter = (c) => /[A-Za-z]/.test(c)
const swap = (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())

const translateClass = (body, ci) => {
  let out = ""
  let extra = ""
  let k = 0
  const negated = body[0] === "^"
  if (negated) k = 1
  while (k < body.length) {
    if (body.startsWith("[:", k)) {
      const end = body.indexOf(":]", k)
      out += POSIX[body.slice(k + 2, end)]
      k = end + 2
      continue
    }
    let atom
    if (body[k] === "\\") {
      if (body[k + 1] === "x" && body[k + 2] === "{") {
        const end = body.indexOf("}", k)
        atom = `\\u${body.slice(k + 3, end).padStart(4, "0")}`
        k = end + 1
      } else {
        atom = body.slice(k, k + 2)
        k += 2
      }
    } else atom = body[k++]
    if (body[k] === "-" && k + 1 < body.length) {
      const hi = body[k + 1] === "\\" ? body.slice(k + 1, k + 3) : body[k + 1]
      k += 1 + hi.length
      out += `${atom}-${hi}`
      if (ci && atom.length === 1 && hi.length === 1 && isLetter(atom) && isLetter(hi))
        extra += `${swap(atom)}-${swap(hi)}`
    } else {
      out += atom === "[" ? "\\[" : atom
      if (ci && atom.length === 1 && isLetter(atom)) extra += swap(atom)
    }
  }
  // The other case goes first, so a trailing `-` stays a literal dash.
  return `[${negated ? "^" : ""}${extra}${out}]`
}

const translate = (src) => {
  let out = ""
  const stack = [{ ci: false, s: false }]
  let i = 0
  while (i < src.length) {
    const top = stack[stack.length - 1]
    const c = src[i]
    if (c === "\\") {
      const e = src[i + 1]
      if (e === "z") out += "$"
      else if (e === "A") out += "^"
      else if (e === "x" && src[i + 2] === "{") {
        const end = src.indexOf("}", i)
        out += `\\u${src.slice(i + 3, end).padStart(4, "0")}`
        i = end + 1
        continue
      } else out += `\\${e}`
      i += 2
    } else if (c === "[") {
      let j = i + 1
      if (src[j] === "^") j++
      if (src[j] === "]") j++
      while (src[j] !== "]") {
        if (src[j] === "\\") j += 2
        else if (src.startsWith("[:", j)) j = src.indexOf(":]", j) + 2
        else j++
      }
      out += translateClass(src.slice(i + 1, j), top.ci)
      i = j + 1
    } else if (c === "(") {
      if (src[i + 1] === "?") {
        const m = /^\(\?([a-zA-Z-]*)([:)])/.exec(src.slice(i))
        if (m !== null && m[1] !== "P") {
          const next = { ...top }
          let on = true
          for (const f of m[1]) {
            if (f === "-") on = false
            else if (f === "i") next.ci = on
            else if (f === "s") next.s = on
          }
          if (m[2] === ")") Object.assign(top, next)
          else {
            stack.push(next)
            out += "(?:"
          }
          i += m[0].length
        } else if (src.startsWith("(?P<", i)) {
          stack.push({ ...top })
          out += "(?<"
          i += 4
        } else {
          stack.push({ ...top })
          out += "(?"
          i += 2
        }
      } else {
        stack.push({ ...top })
        out += "("
        i++
      }
    } else if (c === ")") {
      stack.pop()
      out += ")"
      i++
    } else if (c === "." && top.s) {
      out += "[\\s\\S]"
      i++
    } else if (top.ci && isLetter(c)) {
      out += `[${c}${swap(c)}]`
      i++
    } else if (c === "{") {
      const m = /^\{\d+(?:,\d*)?\}/.exec(src.slice(i))
      out += m === null ? "\\{" : m[0]
      i += m === null ? 1 : m[0].length
    } else {
      out += c
      i++
    }
  }
  return out
}

const compiles = (source) => {
  try {
    new RegExp(source, "dg")
    return true
  } catch {
    return false
  }
}

const config = parseToml(readFileSync(tomlPath, "utf8"))
const allowOf = (a) => {
  const regexes = (a.regexes ?? []).map(translate).filter(compiles)
  return {
    ...(a.condition === "AND" ? { and: true } : {}),
    ...(a.regexTarget !== undefined ? { target: a.regexTarget } : {}),
    regexes,
    stopwords: (a.stopwords ?? []).map((w) => w.toLowerCase()),
    ...(a.paths !== undefined && a.regexes === undefined && a.stopwords === undefined ? { pathsOnly: true } : {})
  }
}
const rules = []
for (const r of config.rules) {
  if (r.regex === undefined) continue // path-only rules (file names) do not apply to text
  const regex = translate(r.regex)
  if (!compiles(regex)) {
    process.stderr.write(`left out ${r.id}: pattern does not compile as JavaScript\n`)
    continue
  }
  const allow = (r.allowlists ?? []).map(allowOf).filter((a) => !a.pathsOnly)
  rules.push({
    id: r.id,
    regex,
    ...(r.secretGroup !== undefined ? { group: r.secretGroup } : {}),
    ...(r.entropy !== undefined ? { entropy: r.entropy } : {}),
    keywords: (r.keywords ?? []).map((k) => k.toLowerCase()),
    ...(allow.length > 0 ? { allow } : {})
  })
}
const global = allowOf(config.allowlist ?? {})
const header = `/**
 * gitleaks' default rules as data: generated by packages/domain/scripts/gitleaksRules.mjs from
 * config/gitleaks.toml of https://github.com/gitleaks/gitleaks at ${commit}. Do not edit; run the
 * script on a newer gitleaks.toml instead. The patterns are rewritten from RE2 to JavaScript.
 *
 * gitleaks is MIT licensed: Copyright (c) 2019 Zachary Rice. Permission is hereby granted, free of
 * charge, to any person obtaining a copy of this software and associated documentation files (the
 * "Software"), to deal in the Software without restriction (full text: test/gitleaks/LICENSE-gitleaks).
 */
import type { GitleaksRule, GitleaksAllowlist } from "./GitleaksRule.js"

export const GITLEAKS_COMMIT = ${JSON.stringify(commit)}

export const GITLEAKS_GLOBAL_ALLOWLIST: GitleaksAllowlist = ${JSON.stringify(global)}

export const GITLEAKS_RULES: ReadonlyArray<GitleaksRule> = ${JSON.stringify(rules, null, 1)}
`
writeFileSync(new URL("../src/maskSecrets/gitleaksRuleData.ts", import.meta.url), header)
process.stdout.write(`gitleaks rules: ${rules.length} of ${config.rules.length} converted\n`)
