import { localTime } from "../lib/time.js"

/** An instant in the browser's zone; the exact stored UTC text on hover (and for machines). */
export const Time = ({ at }: { readonly at: string | null }) =>
  at === null ? <span>–</span> : <time dateTime={at} title={`${at} (UTC)`}>{localTime(at)}</time>
