/** TanStack's framework-free virtualizer in a Preact hook: only the rows in view are in the DOM. */
import {
  elementScroll,
  measureElement,
  observeElementOffset,
  observeElementRect,
  Virtualizer
} from "@tanstack/virtual-core"
import { useEffect, useLayoutEffect, useReducer, useState } from "preact/hooks"

export const useVirtual = (options: {
  readonly count: number
  readonly estimateSize: (index: number) => number
  readonly getScrollElement: () => HTMLElement | null
  readonly overscan?: number
}): Virtualizer<HTMLElement, HTMLElement> => {
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const [virtualizer] = useState(
    () =>
      new Virtualizer<HTMLElement, HTMLElement>({
        count: options.count,
        estimateSize: options.estimateSize,
        getScrollElement: options.getScrollElement,
        overscan: options.overscan ?? 12,
        scrollToFn: elementScroll,
        observeElementRect,
        observeElementOffset,
        measureElement,
        onChange: () => rerender(undefined)
      })
  )
  virtualizer.setOptions({
    ...virtualizer.options,
    count: options.count,
    estimateSize: options.estimateSize,
    getScrollElement: options.getScrollElement
  })
  useEffect(() => virtualizer._didMount(), [virtualizer])
  useLayoutEffect(() => virtualizer._willUpdate())
  return virtualizer
}
