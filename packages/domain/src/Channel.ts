/** Where a message came from and where the response goes (lowercase on the wire). */
import { Schema } from "effect"

export const Channel = Schema.Literal(
  "telegram",
  "slack",
  "discord",
  "whatsapp",
  "twitter",
  "matrix",
  "voice",
  "cli",
  "api"
).annotations({ identifier: "Channel" })
export type Channel = typeof Channel.Type
