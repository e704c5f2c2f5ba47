import { maskSecrets } from "@cratos/domain"
import { useState } from "preact/hooks"

/** A masked JSON value, formatted, with a copy button. The masker runs again here as a last guard. */
export const JsonView = ({ value, label }: { readonly value: unknown; readonly label: string }) => {
  const text = JSON.stringify(maskSecrets(value), null, 2) ?? "null"
  const [copied, setCopied] = useState(false)
  const copy = () => {
    const done = () => {
      setCopied(true)
      setTimeout(() => setCopied(false), 1500)
    }
    if (navigator.clipboard !== undefined) navigator.clipboard.writeText(text).then(done, () => undefined)
  }
  return (
    <div class="json">
      <button type="button" class="copy" onClick={copy} aria-label={`Copy ${label} as JSON`}>
        {copied ? "Copied" : "Copy"}
      </button>
      <pre tabIndex={0} aria-label={`${label} (masked JSON)`}>{text}</pre>
    </div>
  )
}
