/** A message from any channel, normalised (CONTRACT.md section 1). */
import { Schema } from "effect"
import { Attachment } from "./Attachment.js"
import { Channel } from "./Channel.js"
import { Timestamp } from "./Timestamp.js"
import { Uuid } from "./Uuid.js"
import { OptionField } from "./SerdeFields.js"

export const NormalizedMessage = Schema.Struct({
  id: Uuid,
  channel_type: Channel,
  channel_id: Schema.String,
  user_id: Schema.String,
  user_name: OptionField(Schema.String),
  thread_id: OptionField(Schema.String),
  message_id: Schema.String,
  text: Schema.String,
  attachments: Schema.Array(Attachment),
  timestamp: Timestamp,
  is_reply: Schema.Boolean,
  is_command: Schema.Boolean,
  command: OptionField(Schema.String),
  command_args: OptionField(Schema.String)
}).annotations({ identifier: "NormalizedMessage" })
export type NormalizedMessage = typeof NormalizedMessage.Type

/**
 * How a text reads as a command: a text starting with `/` is one; `command` is the first word
 * without the slash, `command_args` the rest after the first space (null when there is none).
 */
export const parseCommand = (
  text: string
): { readonly is_command: boolean; readonly command: string | null; readonly command_args: string | null } => {
  if (!text.startsWith("/")) return { is_command: false, command: null, command_args: null }
  const space = text.indexOf(" ")
  if (space === -1) return { is_command: true, command: text.slice(1), command_args: null }
  const rest = text.slice(space + 1)
  return { is_command: true, command: text.slice(1, space), command_args: rest === "" ? null : rest }
}

export interface NormalizeInput {
  readonly id: Uuid
  readonly channel_type: Channel
  readonly channel_id: string
  readonly user_id: string
  readonly message_id: string
  readonly text: string
  readonly timestamp: Timestamp
  readonly user_name?: string | null
  readonly thread_id?: string | null
  readonly attachments?: ReadonlyArray<Attachment>
  readonly is_reply?: boolean
}

/** Builds a NormalizedMessage from a channel's raw fields; id and time come in as data. */
export const normalizeMessage = (input: NormalizeInput): NormalizedMessage => ({
  id: input.id,
  channel_type: input.channel_type,
  channel_id: input.channel_id,
  user_id: input.user_id,
  user_name: input.user_name ?? null,
  thread_id: input.thread_id ?? null,
  message_id: input.message_id,
  text: input.text,
  attachments: input.attachments ?? [],
  timestamp: input.timestamp,
  is_reply: input.is_reply ?? false,
  ...parseCommand(input.text)
})
