/**
 * @cratos/cli-kit: what the command lines of Cratos Core share (`cratos` and `cratos-projector`):
 * the argument parser (Args), shell completion scripts (Completion), and the failure describer
 * with its exit codes (Failure).
 */
export * as Args from "./Args.js"
export { UsageError } from "./Args.js"
export { completionCommands, completionScript, type CompletionCommand, type Shell, SHELLS } from "./Completion.js"
export {
  CliFailure,
  describeDefect,
  describeKnown,
  ExitCode,
  type KnownFailure,
  type Report,
  report
} from "./Failure.js"
