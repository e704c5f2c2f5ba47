/**
 * Running one execution from the CLI (run, replay --mode rerun, each chat message): the user,
 * workspace, planner and approver from the flags, progress on stderr, and the read model
 * brought up to the execution's last event before anything is printed.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect } from "effect"
import { Agent } from "../agent/Agent.js"
import type { RunResult } from "../agent/AgentShape.js"
import type { PlannerKind } from "../planner/PlannerKind.js"
import { EventStore } from "@cratos/store"
import { approveMode, type ApproveMode, makeApprover } from "./Approval.js"
import { makeRemoteApprover } from "./RemoteApproval.js"
import { CliFailure, ExitCode } from "./errors.js"
import { ExecutionWorkspaces } from "./ExecutionWorkspaces.js"
import { catchUpReadModel } from "./ReadYourWrites.js"
import { maskText } from "../agent/appMasker.js"
import { Output } from "./Output.js"
import { progressLine } from "./Progress.js"
import { Terminal } from "./Terminal.js"

export interface RunFlags {
  readonly user: string | undefined
  readonly approve: ApproveMode | "remote" | undefined
  readonly workspace: string | undefined
  readonly planner: PlannerKind | undefined
}

/** `--user`, else $USER, else "local". */
export const defaultUser = (flag: string | undefined): string => {
  const env = process.env["USER"]
  return flag ?? (env !== undefined && env.trim() !== "" ? env : "local")
}

/** The workspace folder (absolute); a missing folder is a bad value (usage, exit 2). */
export const resolveWorkspace = (flag: string | undefined) =>
  Effect.suspend(() => {
    const dir = path.resolve(flag ?? process.cwd())
    let isDir = false
    try {
      isDir = fs.statSync(dir).isDirectory()
    } catch {
      isDir = false
    }
    return isDir
      ? Effect.succeed(dir)
      : Effect.fail(new CliFailure({ reason: `--workspace: no such folder ${dir}`, exitCode: ExitCode.Usage }))
  })

export interface Execution {
  readonly text: string
  readonly flags: RunFlags
  readonly rerunOf?: string
  /** User when --user is absent (rerun: the original execution's user). */
  readonly fallbackUser?: string
  /** Show progress lines on stderr. */
  readonly progress: boolean
}

export const execute = (e: Execution) =>
  Effect.gen(function* () {
    const agent = yield* Agent
    const out = yield* Output
    const terminal = yield* Terminal
    const workspace = yield* resolveWorkspace(e.flags.workspace)
    const flag = e.flags.approve
    const approve =
      flag === "remote"
        ? makeRemoteApprover(yield* EventStore, out)
        : makeApprover(approveMode(flag, terminal.interactive), terminal, out)
    const result: RunResult = yield* agent.run({
      text: e.text,
      userId: e.flags.user ?? e.fallbackUser ?? defaultUser(undefined),
      workspace,
      planner: e.flags.planner ?? "rules",
      approve,
      approvalRecordedElsewhere: flag === "remote",
      ...(e.rerunOf === undefined ? {} : { rerunOf: e.rerunOf }),
      ...(e.progress ? { onProgress: (p) => void Effect.runFork(out.error(progressLine(p))) } : {})
    })
    yield* (yield* ExecutionWorkspaces).record(result.executionId, workspace)
    yield* catchUpReadModel
    return result
  })

/** A run's exit code: 0 when it completed, 1 otherwise. */
export const exitOf = (result: RunResult): ExitCode => (result.status === "completed" ? ExitCode.Ok : ExitCode.Failure)

/**
 * Prints a result: the response (stdout, through the display masker: secrets in what a tool
 * read are not shown) and its id and status (stderr); or the JSON object with the response as
 * recorded.
 */
export const printResult = (result: RunResult, json: boolean, extra: Record<string, unknown> = {}) =>
  Effect.gen(function* () {
    const out = yield* Output
    if (json) {
      yield* out.line(
        JSON.stringify({ execution_id: result.executionId, status: result.status, response: result.response, ...extra })
      )
    } else {
      yield* out.line(maskText(result.response).replace(/\n+$/, ""))
      const rerun = typeof extra["rerun_of"] === "string" ? `, rerun of ${extra["rerun_of"]}` : ""
      yield* out.error(`(execution ${result.executionId}: ${result.status}${rerun})`)
    }
  })
