// Runs a bundled bin (bundle.cjs beside this file) with V8's code cache (bundle.cjs.v8): the
// first run compiles the bundle and saves the compiled code; later runs deserialize it instead of
// parsing ~1 MB of JavaScript again (half of a command's start-up on Node 20, which has no module
// compile cache of its own). A cache V8 rejects (another Node version, changed flags, a rebuilt
// bundle) is recompiled and replaced. Written by a temporary file and a rename, so processes that
// start together never read half a cache; a folder that cannot be written just goes uncached.
// Copied into each bin's dist/ by scripts/build.mjs.
"use strict"
const fs = require("node:fs")
const path = require("node:path")
const vm = require("node:vm")
const Module = require("node:module")

const file = path.join(__dirname, "bundle.cjs")
const cacheFile = `${file}.v8`
const source = fs.readFileSync(file, "utf8")
let cachedData
try {
  cachedData = fs.readFileSync(cacheFile)
} catch {
  cachedData = undefined
}
const script = new vm.Script(Module.wrap(source), { filename: file, cachedData })
const saveCache = () => {
  try {
    const temp = `${cacheFile}.${process.pid}.tmp`
    fs.writeFileSync(temp, script.createCachedData())
    fs.renameSync(temp, cacheFile)
  } catch {
    // a read-only install: run uncached
  }
}
if (cachedData === undefined || script.cachedDataRejected === true) process.once("exit", saveCache)
const module_ = { exports: {} }
script.runInThisContext().call(module_.exports, module_.exports, Module.createRequire(file), module_, file, __dirname)
