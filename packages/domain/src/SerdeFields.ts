/**
 * Serde field types as Schemas: building blocks that make a schema's encoded side match how the
 * seed's Rust serde types read and write a field (`Option<T>`, `u32`, `u64`).
 */
import { Schema } from "effect"

/**
 * `Option<T>`: written as `null`; on reading, a missing field means `null` (serde accepts both).
 */
export const OptionField = <S extends Schema.Schema.Any>(schema: S) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null, exact: true })

/** `u32`. */
export const U32 = Schema.Int.pipe(Schema.between(0, 4_294_967_295)).annotations({ identifier: "u32" })

/**
 * `u64` / `usize`, limited to what JavaScript holds exactly (2^53-1); a larger value is
 * rejected with a clear error rather than rounded.
 */
export const SafeU64 = Schema.Int.pipe(Schema.nonNegative()).annotations({
  identifier: "u64",
  description: "a non-negative integer up to 2^53-1"
})
