/** The planners a run can choose from (`RunRequest.planner`, `--planner`). */
export type PlannerKind = "rules" | "llm"
