/** A file that came with a message. */
import { Schema } from "effect"
import { OptionField, SafeU64 } from "./SerdeFields.js"

export const AttachmentType = Schema.Literal("image", "document", "audio", "video", "voice", "other").annotations({
  identifier: "AttachmentType"
})
export type AttachmentType = typeof AttachmentType.Type

export const Attachment = Schema.Struct({
  attachment_type: AttachmentType,
  file_name: OptionField(Schema.String),
  mime_type: OptionField(Schema.String),
  file_size: OptionField(SafeU64),
  url: OptionField(Schema.String),
  file_id: OptionField(Schema.String)
}).annotations({ identifier: "Attachment" })
export type Attachment = typeof Attachment.Type
