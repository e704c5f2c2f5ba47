/** The version `cratos --version` prints: apps/agent/package.json's (Version.test.ts keeps them equal). */
export const VERSION = "0.1.0"
