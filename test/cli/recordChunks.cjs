// Preloaded (`node --require`) into a `cratos` process by startupChunks.test.ts: records the file
// of every script compiled through `vm.Script` (what the bin's loader does for each bundle chunk
// it loads) and appends their names to $CRATOS_TEST_CHUNKS_FILE at exit, one a line.
"use strict"
const fs = require("node:fs")
const vm = require("node:vm")

const out = process.env.CRATOS_TEST_CHUNKS_FILE
const loaded = []
const Original = vm.Script
vm.Script = class extends Original {
  constructor(code, options) {
    super(code, options)
    if (options !== undefined && typeof options.filename === "string") loaded.push(options.filename)
  }
}
process.once("exit", () => fs.appendFileSync(out, loaded.map((f) => `${f}\n`).join("")))
