/**
 * Colour for people on a terminal: execution statuses in `list` and `show` (green completed, red
 * failed, yellow running, dim pending). Only when stdout is a terminal, and never when `NO_COLOR`
 * is set (https://no-color.org) or `TERM=dumb`; `CLICOLOR_FORCE=1` asks for it through a pipe.
 * Our own SGR codes are added after the text was made printable (Output.printable), so data can
 * never smuggle escape sequences in.
 */
const SGR: Readonly<Record<string, string>> = { completed: "32", failed: "31", running: "33", pending: "2" }

/** Whether to colour, from the environment and whether stdout is a terminal. */
export const colorsWanted = (stdoutIsTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean => {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false
  if (env["CLICOLOR_FORCE"] !== undefined && env["CLICOLOR_FORCE"] !== "" && env["CLICOLOR_FORCE"] !== "0") return true
  return stdoutIsTTY && env["TERM"] !== "dumb"
}

/** `text` with the status word that starts at code point `at` coloured (unchanged for an unknown status). */
export const paintStatusAt = (text: string, at: number, status: string): string => {
  const sgr = SGR[status]
  if (sgr === undefined) return text
  const chars = Array.from(text)
  if (chars.slice(at, at + status.length).join("") !== status) return text
  return `${chars.slice(0, at).join("")}\u001b[${sgr}m${status}\u001b[0m${chars.slice(at + status.length).join("")}`
}
