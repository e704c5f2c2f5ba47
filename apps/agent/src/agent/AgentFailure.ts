/** The agent could not record the execution at all (storage failed); nothing half written. */
import { Data } from "effect"

export class AgentFailure extends Data.TaggedError("AgentFailure")<{
  readonly reason: string
}> {
  override get message() {
    return this.reason
  }
}
