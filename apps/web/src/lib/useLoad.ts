/**
 * Loads data for a page; re-runs when `key` changes; `reload` runs it again in place. The load
 * starts in a layout effect, right after the render, not after the next frame (a plain effect
 * waits for one): on a busy machine that frame is what the list's first rows waited for.
 */
import { useCallback, useLayoutEffect, useRef, useState } from "preact/hooks"
import { ApiProblem } from "../api/client.js"

export type Load<A> =
  | { readonly state: "loading" }
  | { readonly state: "error"; readonly problem: ApiProblem }
  | { readonly state: "ready"; readonly value: A }

export const useLoad = <A>(key: string, load: (signal: AbortSignal) => Promise<A>): [Load<A>, () => void] => {
  const [result, setResult] = useState<Load<A>>({ state: "loading" })
  const [tick, setTick] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  useLayoutEffect(() => {
    const controller = new AbortController()
    loadRef.current(controller.signal).then(
      (value) => setResult({ state: "ready", value }),
      (e: unknown) => {
        if (controller.signal.aborted) return
        setResult({
          state: "error",
          problem: e instanceof ApiProblem ? e : new ApiProblem(0, "Network error", String(e))
        })
      }
    )
    return () => controller.abort()
  }, [key, tick])
  return [result, useCallback(() => setTick((n) => n + 1), [])]
}
