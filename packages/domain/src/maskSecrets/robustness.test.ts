import { describe, expect, it } from "vitest"
import { MASKED } from "./placeholders.js"
import { fakes } from "./corpus/fake.js"
import { DEFAULT_COMPILED } from "./CompiledOptions.js"
import { CIRCULAR, MASKING_FAILED, maskSecrets, maskString } from "./index.js"
import { walk } from "./walk.js"

const M = MASKED

describe("maskSecrets robustness", () => {
  it("replaces cyclic references with [Circular] and walks shared ones normally", () => {
    const a: Record<string, unknown> = { name: "a" }
    const list: Array<unknown> = [1]
    list.push(list)
    const shared = { password: "x" }
    a["self"] = a
    a["list"] = list
    a["left"] = shared
    a["right"] = shared
    a["map"] = new Map<string, unknown>([["back", a]])
    expect(maskSecrets(a)).toEqual({
      name: "a",
      self: CIRCULAR,
      list: [1, CIRCULAR],
      left: { password: M },
      right: { password: M },
      map: { back: CIRCULAR }
    })
  })

  it("handles 10,000-deep objects and arrays without overflowing the stack", () => {
    let obj: Record<string, unknown> = { password: "x", token2: "y" }
    let arr: Array<unknown> = ["Bearer abcdefgh12345678"]
    for (let i = 0; i < 10_000; i++) {
      obj = { child: obj, cookie: i }
      arr = [arr]
    }
    const out = maskSecrets({ obj, arr }) as { obj: Record<string, unknown>; arr: Array<unknown> }
    let o = out.obj
    for (let i = 0; i < 10_000; i++) {
      expect(o["cookie"]).toBe(M)
      o = o["child"] as Record<string, unknown>
    }
    expect(o).toEqual({ password: M, token2: M })
    let a = out.arr
    for (let i = 0; i < 10_000; i++) a = a[0] as Array<unknown>
    expect(a).toEqual([`Bearer ${M}`])
  })

  it("detects a cycle closing 10,000 levels down", () => {
    const root: Record<string, unknown> = {}
    let node = root
    for (let i = 0; i < 10_000; i++) {
      const next: Record<string, unknown> = {}
      node["n"] = next
      node = next
    }
    node["back"] = root
    let o = maskSecrets(root) as Record<string, unknown>
    for (let i = 0; i < 10_000; i++) o = o["n"] as Record<string, unknown>
    expect(o).toEqual({ back: CIRCULAR })
  })

  it("walks the deferred children of an object shared by two branches under each branch's own path", () => {
    // x is reached as root.a.x and as root.b.x; its link back to b is a cycle only under b
    const x: Record<string, unknown> = { token: "t" }
    const b: Record<string, unknown> = { x }
    const root = { a: { x }, b }
    x["link"] = b
    const reference = walk(root, DEFAULT_COMPILED, undefined)
    expect((reference as { b: { x: { link: unknown } } }).b.x.link).toBe(CIRCULAR)
    // with a recursion limit of 3, x's children are deferred, hanging from x's place in each branch
    expect(JSON.stringify(walk(root, DEFAULT_COMPILED, undefined, 3))).toBe(JSON.stringify(reference))
  })

  it("masks 10 MB adversarial strings in linear time (sanity budget, not a benchmark)", () => {
    const f = fakes(5)
    const size = 10 * 1024 * 1024
    const fill = (unit: string): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size)
    const adversarial = [
      fill("a"),
      fill("password="),
      fill("token: f("),
      fill("a-"),
      fill("eyJ"),
      fill("eyJabcdefgh."),
      fill("-----BEGIN PRIVATE KEY-----"),
      fill("a://b@"),
      fill("x://user:"),
      fill("sk-"),
      fill("sk-aB3"),
      fill("ghp_"),
      fill("Bearer "),
      fill("Authorization: "),
      fill('"password": "'),
      fill('\\"token\\":\\"'),
      fill("--token "),
      fill("-u a:"),
      fill("AKIA"),
      fill("=:"),
      fill("key.key.key="),
      fill("Basic QUJD")
    ]
    const started = Date.now()
    for (const s of adversarial) {
      const t0 = Date.now()
      const out = maskString(s)
      expect(typeof out).toBe("string")
      expect(Date.now() - t0).toBeLessThan(10_000)
    }
    const secret = f.github()
    const big = fill("lorem ipsum dolor sit amet ") + ` GITHUB_TOKEN=${secret}`
    expect(maskString(big).endsWith(`GITHUB_TOKEN=${M}`)).toBe(true)
    console.log(`maskSecrets: ${adversarial.length + 1} strings of 10 MB masked in ${Date.now() - started} ms`)
  }, 120_000) // 23 strings of 10 MB on a shared 2-core machine; each string's own 10 s budget is the check

  it("keeps __proto__ and constructor as plain own keys", () => {
    const input = JSON.parse(
      '{"__proto__": {"password": "x", "a": 1}, "constructor": {"token": "y"}, "prototype": 1}'
    ) as unknown
    const out = maskSecrets(input) as Record<string, unknown>
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(Object.keys(out)).toEqual(["__proto__", "constructor", "prototype"])
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toEqual({ password: M, a: 1 })
    expect(out["constructor"]).toEqual({ token: M })
    expect(({} as Record<string, unknown>)["password"]).toBeUndefined()
  })

  it("gives non-JSON values one deterministic JSON form", () => {
    class Point {
      constructor(
        readonly x: number,
        readonly secret: string
      ) {}
    }
    const err = Object.assign(new Error("connect postgres://u:pw12@db failed"), { code: "ECONN" })
    const input = {
      big: 10n,
      date: new Date(0),
      bad: new Date(NaN),
      map: new Map<unknown, unknown>([
        ["apiKey", "k"],
        [1, "one"]
      ]),
      set: new Set(["a", "b"]),
      fn: () => 1,
      sym: Symbol("s"),
      undef: undefined,
      bytes: new Uint8Array([1, 2, 3]),
      boxed: Object("str"),
      point: new Point(1, "s"),
      err,
      re: /a+/g
    }
    const out = maskSecrets(input)
    expect(out).toEqual({
      big: "10",
      date: "1970-01-01T00:00:00.000Z",
      bad: null,
      map: { apiKey: M, "1": "one" },
      set: ["a", "b"],
      fn: "[Function]",
      sym: "[Symbol]",
      undef: undefined,
      bytes: "[Binary]",
      boxed: "str",
      point: { x: 1, secret: M },
      err: { name: "Error", message: `connect postgres://u:${M}@db failed`, code: "ECONN" },
      re: "/a+/g"
    })
    expect(maskSecrets(out)).toEqual(out)
    expect(() => JSON.stringify(out)).not.toThrow()
  })

  it("replaces the whole value when anything throws: getters, proxies, toJSON", () => {
    const getter = {
      ok: 1,
      nested: {
        get token(): string {
          throw new Error("no")
        }
      }
    }
    const proxy = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error("no")
        }
      }
    )
    class Hostile {
      toJSON(): never {
        throw new Error("no")
      }
    }
    const toJSON = { when: new Hostile() }
    for (const v of [getter, proxy, toJSON]) expect(maskSecrets(v)).toBe(MASKING_FAILED)
  })

  it("treats a plain object's toJSON as data (a function becomes a placeholder), unlike a class's", () => {
    expect(maskSecrets({ toJSON: () => ({ password: "x" }) })).toEqual({ toJSON: "[Function]" })
  })
})
