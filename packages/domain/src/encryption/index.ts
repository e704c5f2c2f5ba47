/** Encryption at rest, the pure half: which fields are raw content and the envelope format. */
export * from "./ContentEnvelope.js"
export * from "./RawContent.js"
export * from "./ContentPatch.js"
