/**
 * A bar chart drawn by Chart.js (only the bar parts registered, so the rest is not bundled), with
 * the same numbers as a table for screen readers and keyboard users. Colours follow the page's
 * light or dark scheme.
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js"
import { useEffect, useRef } from "preact/hooks"

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend)

export interface Series {
  readonly label: string
  readonly values: ReadonlyArray<number>
  /** A CSS custom property holding the colour, e.g. `--ok`. */
  readonly color: string
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888"

export const BarChart = (props: {
  readonly title: string
  readonly labels: ReadonlyArray<string>
  readonly series: ReadonlyArray<Series>
  readonly stacked?: boolean
  readonly format?: (n: number) => string
  readonly testId: string
}) => {
  const canvas = useRef<HTMLCanvasElement>(null)
  const format = props.format ?? ((n: number) => String(n))
  useEffect(() => {
    if (canvas.current === null) return
    const text = css("--fg")
    const grid = css("--line")
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: {
        labels: [...props.labels],
        datasets: props.series.map((s) => ({ label: s.label, data: [...s.values], backgroundColor: css(s.color), borderWidth: 0 }))
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        color: text,
        scales: {
          x: { stacked: props.stacked === true, ticks: { color: text }, grid: { color: grid } },
          y: {
            stacked: props.stacked === true,
            beginAtZero: true,
            ticks: { color: text, precision: 0, callback: (v) => format(Number(v)) },
            grid: { color: grid }
          }
        },
        plugins: {
          legend: { labels: { color: text } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ""}: ${format(Number(c.raw))}` } }
        }
      }
    })
    return () => chart.destroy()
  }, [JSON.stringify([props.labels, props.series, props.stacked])])
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div class="canvas">
        <canvas ref={canvas} role="img" aria-label={`${props.title} (the table below has the numbers)`} />
      </div>
      <details>
        <summary>Numbers</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.title}</th>
              {props.series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.labels.map((l, i) => (
              <tr key={l}>
                <th scope="row">{l}</th>
                {props.series.map((s) => (
                  <td key={s.label}>{format(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}
