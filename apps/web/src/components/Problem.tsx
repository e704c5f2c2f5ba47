import type { ApiProblem } from "../api/client.js"

/** A failed call: the login hint for 401, else the problem's title and detail. */
export const ProblemView = ({ problem }: { readonly problem: ApiProblem }) =>
  problem.unauthorized ? (
    <section class="notice" role="alert">
      <h2>Log in with the link from <code>cratos serve</code></h2>
      <p>
        When <code>cratos serve</code> starts it prints a line <code>cratos: open http://HOST:PORT/?token=…</code>. Open that
        link in this browser: it sets a session cookie and brings you back here.
      </p>
    </section>
  ) : (
    <section class="notice error" role="alert">
      <h2>{problem.title}</h2>
      {problem.detail === "" ? null : <p>{problem.detail}</p>}
    </section>
  )
