const ICON: Readonly<Record<string, string>> = { pending: "○", running: "◐", completed: "●", failed: "✖" }

/** An execution status as a coloured badge; the word is always written, colour is never the only sign. */
export const StatusBadge = ({ status }: { readonly status: string }) => (
  <span class={`badge status-${status}`}>
    <span aria-hidden="true">{ICON[status] ?? "?"}</span> {status}
  </span>
)
