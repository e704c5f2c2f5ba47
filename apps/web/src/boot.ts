/**
 * Runs first (main.tsx's first import): starts the list's call while the rest of the bundle is
 * still being evaluated (see api/early.ts).
 */
import { startEarly } from "./api/early.js"

startEarly(window.location)
