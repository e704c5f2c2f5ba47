/**
 * The plan as a graph (layout by dagre, see `planLayout`): a node per step with its number, tool
 * and outcome, edges for `depends_on`, waves as columns, the step's risk as its colour (from the
 * approval request when there was one, else the built-in tool risks). Each node is focusable and
 * says all of that in words.
 */
import { defaultToolRisks, riskOf } from "@cratos/domain"
import { duration } from "@cratos/agent/timeline"
import type { ExecutionEvent } from "../api/types.js"
import { layoutPlan, NODE_HEIGHT, NODE_WIDTH } from "../lib/planLayout.js"
import { type StepOutcome, stepProgress } from "../lib/planProgress.js"

type Plan = Extract<ExecutionEvent, { type: "PlanGenerated" }>["plan"]

const OUTCOME_ICON: Readonly<Record<StepOutcome, string>> = {
  pending: "○",
  "awaiting approval": "⏸",
  declined: "⊘",
  running: "◐",
  succeeded: "✔",
  failed: "✖",
  skipped: "–"
}

const cut = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`)

export const PlanGraph = ({ plan, events }: { readonly plan: Plan; readonly events: ReadonlyArray<ExecutionEvent> }) => {
  if (plan.steps.length === 0) return <p class="muted">The plan has no steps.</p>
  const layout = layoutPlan(plan)
  const progress = stepProgress(plan, events)
  const requested = new Map<number, string>()
  for (const e of events) if (e.type === "ApprovalRequested" && e.details.step_index !== null) requested.set(e.details.step_index, e.risk_level)
  return (
    <figure class="plan" data-testid="plan-graph">
      <svg
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        width={layout.width}
        style={{ maxWidth: "100%", height: "auto" }}
        role="group"
        aria-label={`Plan: ${plan.steps.length} steps in ${Math.max(0, ...layout.nodes.map((n) => n.wave)) + 1} waves`}
      >
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <path
            key={`${e.from}-${e.to}`}
            class="edge"
            data-edge={`${e.from}-${e.to}`}
            d={e.points.map((p, k) => `${k === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}
            marker-end="url(#arrow)"
          />
        ))}
        {layout.nodes.map((n) => {
          const step = plan.steps[n.index]!
          const p = progress[n.index]!
          const risk = requested.get(n.index) ?? riskOf(defaultToolRisks, step.tool)
          const label =
            `Step ${n.index + 1}, wave ${n.wave + 1}: ${step.tool}, risk ${risk}, ${p.outcome}` +
            `${p.durationMs === null ? "" : ` in ${duration(p.durationMs)}`}` +
            `${step.depends_on.length === 0 ? "" : `, after step ${step.depends_on.map((d) => d + 1).join(", ")}`}. ${step.description}`
          return (
            <g
              key={n.index}
              class={`node risk-${risk} outcome-${p.outcome.replace(" ", "-")}`}
              transform={`translate(${n.x - NODE_WIDTH / 2},${n.y - NODE_HEIGHT / 2})`}
              tabindex={0}
              role="img"
              aria-label={label}
              data-step={n.index}
              data-outcome={p.outcome}
            >
              <title>{label}</title>
              <rect width={NODE_WIDTH} height={NODE_HEIGHT} rx="8" />
              <text x="10" y="20" class="node-title">
                {n.index + 1}. {cut(step.tool, 18)}
              </text>
              <text x="10" y="39" class="node-desc">
                {cut(step.description, 26)}
              </text>
              <text x="10" y="59" class="node-outcome">
                {OUTCOME_ICON[p.outcome]} {p.outcome}
                {p.durationMs === null ? "" : ` · ${duration(p.durationMs)}`} · {risk}
              </text>
            </g>
          )
        })}
      </svg>
      <figcaption class="muted">
        Columns are waves (steps in a column run side by side); colour is risk: <span class="key risk-Read">Read</span>{" "}
        <span class="key risk-Write">Write</span> <span class="key risk-Destructive">Destructive</span>
      </figcaption>
    </figure>
  )
}
