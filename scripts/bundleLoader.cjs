// Runs a built bin (entry.cjs beside this file, and the chunks it requires) with V8's code cache
// (<chunk>.v8): the first run compiles a chunk and saves the compiled code; later runs deserialize
// it instead of parsing the JavaScript again (half of a command's start-up on Node 20, which has
// no compile cache of its own). A chunk is loaded when it is first required, so a command pays
// only for the chunks it uses (scripts/build.mjs splits them). Each cache starts with the SHA-1 of
// the source it was compiled from, and is used only for that source: V8's own check compares the
// source's length alone, and a rebuilt entry.cjs (the same code naming other chunks) often keeps
// its length, so a stale cache ran the previous build's code. A cache that does not match, or
// that V8 rejects (another Node version, changed flags), is recompiled and replaced. Written by a temporary file
// and a rename, so processes that start together never read half a cache; a folder that cannot be
// written just goes uncached. Copied into each bin's dist/ by scripts/build.mjs.
"use strict"
const crypto = require("node:crypto")
const fs = require("node:fs")
const path = require("node:path")
const vm = require("node:vm")
const Module = require("node:module")

const loaded = new Map()
const toSave = []

const saveCaches = () => {
  for (const { file, script, digest } of toSave) {
    try {
      const temp = `${file}.v8.${process.pid}.tmp`
      fs.writeFileSync(temp, Buffer.concat([digest, script.createCachedData()]))
      fs.renameSync(temp, `${file}.v8`)
    } catch {
      // a read-only install: run uncached
    }
  }
}

/** A chunk's exports, running it on first use (a require cycle sees the partial exports, as in Node). */
const load = (file) => {
  const known = loaded.get(file)
  if (known !== undefined) return known.exports
  const module_ = { exports: {} }
  loaded.set(file, module_)
  const source = fs.readFileSync(file, "utf8")
  const digest = crypto.createHash("sha1").update(source).digest()
  let cachedData
  try {
    const saved = fs.readFileSync(`${file}.v8`)
    if (saved.length > digest.length && saved.subarray(0, digest.length).equals(digest)) {
      cachedData = saved.subarray(digest.length)
    }
  } catch {
    cachedData = undefined
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData })
  if (cachedData === undefined || script.cachedDataRejected === true) {
    if (toSave.length === 0) process.once("exit", saveCaches)
    toSave.push({ file, script, digest })
  }
  const nodeRequire = Module.createRequire(file)
  const require_ = (id) => (id.startsWith("./chunk-") ? load(path.join(__dirname, id)) : nodeRequire(id))
  require_.resolve = nodeRequire.resolve
  require_.cache = nodeRequire.cache
  script.runInThisContext().call(module_.exports, module_.exports, require_, module_, file, __dirname)
  return module_.exports
}

load(path.join(__dirname, "entry.cjs"))
