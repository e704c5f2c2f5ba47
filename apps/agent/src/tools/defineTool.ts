/**
 * `defineTool`: a tool from its name, its input Schema and what it does with a decoded input.
 *
 * The input's description shown to the planner (`Tool.inputShape`, e.g. `{"path": string}`) is
 * derived from the Schema through `JSONSchema.make`, so it cannot drift from what `run` accepts.
 * The risk defaults to the domain's registry (`defaultToolRisks`), where every built-in tool is
 * listed. An input the Schema rejects is a Validation error naming the expected shape, never
 * echoing the input (which can hold secrets).
 */
import { defaultToolRisks, type RiskLevel, riskOf } from "@cratos/domain"
import { Effect, JSONSchema, Schema } from "effect"
import type { Tool, ToolContext, ToolSuccess } from "./Tool.js"
import { type ToolError, validation } from "./ToolError.js"

export interface ToolDefinition<A, I> {
  readonly name: string
  /** Default: the domain's registry entry for `name`. */
  readonly risk?: RiskLevel
  /** One line on what it does (for the planner's prompt and help). */
  readonly summary: string
  readonly input: Schema.Schema<A, I>
  /** Runs once on a decoded input; the registry adds the timeout. */
  readonly run: (input: A, ctx: ToolContext) => Effect.Effect<ToolSuccess, ToolError>
}

type JsonSchemaNode = {
  readonly type?: string | ReadonlyArray<string>
  readonly properties?: Readonly<Record<string, JsonSchemaNode>>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchemaNode
  readonly enum?: ReadonlyArray<unknown>
  readonly const?: unknown
  readonly anyOf?: ReadonlyArray<JsonSchemaNode>
  readonly $ref?: string
  readonly $defs?: Readonly<Record<string, JsonSchemaNode>>
}

/** A JSON Schema as the compact shape the planner reads: `{"path": string, "depth"?: number}`. */
const shapeOf = (node: JsonSchemaNode, defs: JsonSchemaNode["$defs"] = {}): string => {
  const shape = (child: JsonSchemaNode) => shapeOf(child, defs)
  if (node.$ref !== undefined) {
    const target = defs[node.$ref.replace(/^#\/\$defs\//, "")]
    return target === undefined ? "unknown" : shape(target)
  }
  if (node.const !== undefined) return JSON.stringify(node.const)
  if (node.enum !== undefined) return node.enum.map((v) => JSON.stringify(v)).join(" | ")
  if (node.anyOf !== undefined) return node.anyOf.map(shape).join(" | ")
  const type = typeof node.type === "string" || node.type === undefined ? node.type : node.type.join(" | ")
  switch (type) {
    case "object": {
      const required = new Set(node.required ?? [])
      const fields = Object.entries(node.properties ?? {}).map(
        ([key, value]) => `${JSON.stringify(key)}${required.has(key) ? "" : "?"}: ${shape(value)}`
      )
      return `{${fields.join(", ")}}`
    }
    case "array":
      return `Array<${node.items === undefined ? "unknown" : shape(node.items)}>`
    case "integer":
      return "number"
    case undefined:
      return "unknown"
    default:
      return type
  }
}

/** The planner's description of a tool's input, derived from its Schema. */
export const inputShapeOf = <A, I>(schema: Schema.Schema<A, I>): string => {
  const root = JSONSchema.make(schema) as JsonSchemaNode
  return shapeOf(root, root.$defs)
}

export const defineTool = <A, I>(definition: ToolDefinition<A, I>): Tool => {
  const inputShape = inputShapeOf(definition.input)
  const decode = Schema.decodeUnknown(definition.input)
  return {
    name: definition.name,
    risk: definition.risk ?? riskOf(defaultToolRisks, definition.name),
    summary: definition.summary,
    inputShape,
    run: (input, ctx) =>
      decode(input).pipe(
        // the parse error may quote the input (which can hold secrets): say what was expected only
        Effect.mapError(() => validation(`invalid input for ${definition.name}: expected ${inputShape}`)),
        Effect.flatMap((decoded) => definition.run(decoded, ctx))
      )
  }
}
