/** The UI's shell: skip link, navigation, and the four pages (their paths are shared links). */
import { render } from "preact"
import { ErrorBoundary, LocationProvider, Route, Router, useLocation } from "preact-iso"
import "./styles.css"
import { Approvals } from "./pages/Approvals.js"
import { Execution } from "./pages/Execution.js"
import { Executions } from "./pages/Executions.js"
import { Stats } from "./pages/Stats.js"

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
