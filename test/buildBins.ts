/**
 * vitest globalSetup: the end-to-end tests run the built bins (apps/agent/dist,
 * apps/projector/dist), so build them first when a source is newer than the output
 * (scripts/build.mjs --if-stale; a no-op costing a few milliseconds when they are current).
 */
const BUILD_SCRIPT = new URL("../scripts/build.mjs", import.meta.url).href

export default async function setup(): Promise<void> {
  const { build } = (await import(BUILD_SCRIPT)) as { build: (o: { ifStale: boolean }) => Promise<boolean> }
  await build({ ifStale: true })
}
