/**
 * The plan as a graph laid out by dagre: steps are nodes, `depends_on` are edges, and the
 * columns are the plan's waves (domain `planWaves`), the order the agent runs them in.
 *
 * dagre ranks nodes itself (network simplex), which can move a step with no dependents to a later
 * column than its wave. To pin rank = wave, a hidden root gets an edge to every step with
 * `minlen = wave + 1` and a high weight: the cheapest ranking then puts each step exactly at its
 * wave (always feasible, since a step's wave is above each of its dependencies'). The root and
 * its edges are not drawn. Pure: a plan in, positions out.
 */
import * as dagre from "@dagrejs/dagre"
import type { ExecutionEvent } from "../api/types.js"
import { wavesOf } from "./planProgress.js"

type Plan = Extract<ExecutionEvent, { type: "PlanGenerated" }>["plan"]

export const NODE_WIDTH = 190
export const NODE_HEIGHT = 70

export interface LaidNode {
  readonly index: number
  readonly wave: number
  readonly x: number
  readonly y: number
}
export interface LaidEdge {
  readonly from: number
  readonly to: number
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>
}
export interface PlanLayout {
  readonly nodes: ReadonlyArray<LaidNode>
  readonly edges: ReadonlyArray<LaidEdge>
  readonly width: number
  readonly height: number
}

const ROOT = "root"
const MARGIN = 12

export const layoutPlan = (plan: Plan): PlanLayout => {
  const waves = wavesOf(plan)
  const waveOf = new Map<number, number>()
  waves.forEach((wave, w) => {
    for (const i of wave) waveOf.set(i, w)
  })
  const g = new dagre.graphlib.Graph({ multigraph: false })
  g.setGraph({ rankdir: "LR", nodesep: 24, ranksep: 56, marginx: 0, marginy: 0 })
  g.setDefaultEdgeLabel(() => ({}))
  g.setNode(ROOT, { width: 1, height: 1 })
  plan.steps.forEach((_, i) => g.setNode(String(i), { width: NODE_WIDTH, height: NODE_HEIGHT }))
  plan.steps.forEach((step, i) => {
    g.setEdge(ROOT, String(i), { minlen: (waveOf.get(i) ?? 0) + 1, weight: 1000 })
    for (const d of step.depends_on)
      if (d >= 0 && d < plan.steps.length && d !== i) g.setEdge(String(d), String(i), { minlen: 1, weight: 1 })
  })
  dagre.layout(g)
  const raw = plan.steps.map((_, i) => g.node(String(i)))
  const minX = Math.min(...raw.map((n) => n.x - NODE_WIDTH / 2))
  const minY = Math.min(...raw.map((n) => n.y - NODE_HEIGHT / 2))
  const shift = (p: { x: number; y: number }) => ({ x: p.x - minX + MARGIN, y: p.y - minY + MARGIN })
  const nodes = raw.map((n, i) => ({ index: i, wave: waveOf.get(i) ?? 0, ...shift(n) }))
  const edges: Array<LaidEdge> = []
  plan.steps.forEach((step, i) => {
    for (const d of step.depends_on) {
      if (d < 0 || d >= plan.steps.length || d === i) continue
      edges.push({ from: d, to: i, points: g.edge(String(d), String(i)).points.map(shift) })
    }
  })
  const width = Math.max(0, ...nodes.map((n) => n.x + NODE_WIDTH / 2)) + MARGIN
  const height = Math.max(0, ...nodes.map((n) => n.y + NODE_HEIGHT / 2)) + MARGIN
  return { nodes, edges, width, height }
}
