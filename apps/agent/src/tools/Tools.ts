/**
 * The tool registry: the built-in tools by name, with the workspace they are confined to and
 * their time and size limits. `run` decodes nothing itself; it resolves the workspace, applies
 * the tool's timeout (a Timeout error; an interrupted `exec` kills its process group) and turns
 * a defect inside a tool into an Internal error.
 */
import type { ToolRiskRegistry } from "@cratos/domain"
import { Context, Duration, Effect, Layer } from "effect"
import { Exec } from "./Exec.js"
import { FileList } from "./FileList.js"
import { FileRead } from "./FileRead.js"
import { FileSearch } from "./FileSearch.js"
import { FileWrite } from "./FileWrite.js"
import { HttpGet } from "./HttpGet.js"
import type { Tool, ToolSuccess } from "./Tool.js"
import { internal, ToolError, validation } from "./ToolError.js"
import { defaultLimits, defaultTimeouts, timeoutOf, type ToolLimits, type ToolTimeouts } from "./ToolSettings.js"
import { realWorkspace } from "./Workspace.js"

export const builtinTools: ReadonlyArray<Tool> = [FileRead, FileList, FileSearch, FileWrite, HttpGet, Exec]

export interface ToolsOptions {
  /** Default folder for file tools and `exec` (default: the current directory). */
  readonly workspace?: string
  readonly timeouts?: Partial<ToolTimeouts>
  readonly limits?: Partial<ToolLimits>
  /** The tools offered (default: the built-in six). */
  readonly tools?: ReadonlyArray<Tool>
}

export interface ToolsShape {
  readonly tools: ReadonlyArray<Tool>
  readonly get: (name: string) => Tool | undefined
  /** Tool name → risk, for plans and approvals. */
  readonly risks: ToolRiskRegistry
  readonly workspace: string
  readonly limits: ToolLimits
  readonly timeouts: ToolTimeouts
  /** Runs a tool by name, confined to `workspace` (default: the registry's), with its timeout. */
  readonly run: (
    name: string,
    input: unknown,
    options?: { readonly workspace?: string }
  ) => Effect.Effect<ToolSuccess, ToolError>
}

const definedOnly = <T extends object>(value: Partial<T> | undefined): Partial<T> =>
  Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>

const make = (options: ToolsOptions = {}): ToolsShape => {
  const tools = options.tools ?? builtinTools
  const byName = new Map(tools.map((t) => [t.name, t]))
  const limits: ToolLimits = { ...defaultLimits, ...definedOnly(options.limits) }
  const timeouts = { ...defaultTimeouts, ...definedOnly(options.timeouts) } as ToolTimeouts
  const workspace = options.workspace ?? process.cwd()
  return {
    tools,
    get: (name) => byName.get(name),
    risks: Object.fromEntries(tools.map((t) => [t.name, t.risk])),
    workspace,
    limits,
    timeouts,
    run: (name, input, runOptions) =>
      Effect.gen(function* () {
        const tool = byName.get(name)
        if (tool === undefined) return yield* validation(`unknown tool ${JSON.stringify(name)}`)
        const timeout = timeoutOf(timeouts, name)
        const root = yield* realWorkspace(runOptions?.workspace ?? workspace)
        return yield* tool.run(input, { workspace: root, limits }).pipe(
          Effect.catchAllDefect((defect) =>
            Effect.fail(internal(`${name} crashed: ${defect instanceof Error ? defect.message : String(defect)}`))
          ),
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () =>
              new ToolError({ errorType: "Timeout", reason: `${name} timed out after ${Duration.format(timeout)}` })
          })
        )
      }).pipe(Effect.withSpan("Tools.run", { attributes: { tool: name } }))
  }
}

export class Tools extends Context.Tag("@cratos/agent/Tools")<Tools, ToolsShape>() {
  /** The registry over `options.tools` (default: the built-in six). */
  static readonly make = make
  /** The registry as a layer; options as in {@link Tools.make}. */
  static readonly layer = (options: ToolsOptions = {}): Layer.Layer<Tools> => Layer.sync(Tools, () => make(options))
}
