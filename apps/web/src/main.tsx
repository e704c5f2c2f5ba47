/**
 * The UI's shell: skip link, navigation, and the four pages (their paths are shared links).
 * The list (`/`) is in the first chunk; the other pages, with the chart and graph libraries only
 * they use, are loaded when first visited, so the list's first rows wait for less JavaScript.
 */
import "./boot.js"

import { render } from "preact"
import { ErrorBoundary, LocationProvider, lazy, Route, Router, useLocation } from "preact-iso"
import "./styles.css"
import { Executions } from "./pages/Executions.js"

const Execution = lazy(() => import("./pages/Execution.js").then((m) => m.Execution))
const Approvals = lazy(() => import("./pages/Approvals.js").then((m) => m.Approvals))
const Stats = lazy(() => import("./pages/Stats.js").then((m) => m.Stats))

const NotFound = () => (
  <>
    <h1>Not found</h1>
    <p>
      <a href="/">Back to the executions</a>
    </p>
  </>
)

const Nav = () => {
  const { path } = useLocation()
  const link = (href: string, label: string, active: boolean) => (
    <a href={href} aria-current={active ? "page" : undefined}>
      {label}
    </a>
  )
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <a class="brand" href="/">
        Cratos Core
      </a>
      <nav aria-label="Main">
        {link("/", "Executions", path === "/" || path.startsWith("/executions/"))}
        {link("/approvals", "Approvals", path === "/approvals")}
        {link("/stats", "Stats", path === "/stats")}
      </nav>
    </header>
  )
}

const App = () => (
  <LocationProvider>
    <Nav />
    <main id="main" tabIndex={-1}>
      <ErrorBoundary>
        <Router>
          <Route path="/" component={Executions} />
          <Route path="/executions/:id" component={Execution} />
          <Route path="/approvals" component={Approvals} />
          <Route path="/stats" component={Stats} />
          <Route default component={NotFound} />
        </Router>
      </ErrorBoundary>
    </main>
  </LocationProvider>
)

render(<App />, document.getElementById("app")!)
