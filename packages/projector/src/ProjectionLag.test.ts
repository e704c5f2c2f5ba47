import { describe, expect, it } from "@effect/vitest"
import { lagOf } from "./ProjectionLag.js"

describe("lagOf", () => {
  it("counts a checkpoint of another version as 0, and lists checkpoints no known projection has", () => {
    const status = lagOf(
      10,
      [
        { name: "a", version: 1, position: 7 },
        { name: "b", version: 1, position: 9 },
        { name: "old", version: 3, position: 4 }
      ],
      [
        { name: "a", version: 1 },
        { name: "b", version: 2 },
        { name: "c", version: 1 }
      ]
    )
    expect(status).toEqual({
      last_position: 10,
      projections: [
        { name: "a", version: 1, position: 7, lag: 3 },
        { name: "b", version: 2, position: 0, lag: 10 },
        { name: "c", version: 1, position: 0, lag: 10 },
        { name: "old", version: 3, position: 4, lag: 6 }
      ]
    })
  })
})
