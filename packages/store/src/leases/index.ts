/** Writer leases and the closing of executions whose writer died (issue 15). */
export {
  ABANDONED_ERROR,
  ABANDONED_RESPONSE,
  AbandonedExecutions,
  closingEvents,
  DEFAULT_STALE_AFTER_MS
} from "./AbandonedExecutions.js"
export { ChildProcessGroup } from "./ChildProcessGroup.js"
export {
  currentWriter,
  DEFAULT_HEARTBEAT_MS,
  type Lease,
  type LeasedChild,
  type WriterIdentity,
  WriterLeases
} from "./WriterLeases.js"
export { isWriterAlive } from "./WriterLiveness.js"
export { type LeaseSettings, leaseSettingsFromEnv } from "./LeaseSettings.js"
