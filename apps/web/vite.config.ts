import { defineConfig } from "vite"

/**
 * The browser UI: built into `dist/`, which `cratos serve` serves. No plugin: Vite compiles the
 * TSX with Preact's automatic JSX runtime (from tsconfig's `jsxImportSource`). In development
 * (`pnpm dev`) `/api`, `/healthz` are proxied to a `cratos serve` on CRATOS_URL.
 */
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, target: "es2022", chunkSizeWarningLimit: 900 },
  server: {
    proxy: { "/api": process.env["CRATOS_URL"] ?? "http://127.0.0.1:7777" }
  }
})
