/** Encryption at rest (issue 14): the cipher, the master key, the data keys, sealing events. */
export * from "./ContentCipher.js"
export * from "./ContentKeys.js"
export * from "./EncryptionErrors.js"
export * from "./EventSealing.js"
export * from "./MasterKey.js"
export * from "./SealingEventStore.js"
export * from "./rotateMasterKey.js"
