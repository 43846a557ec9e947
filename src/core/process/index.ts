/** The shells' entry to the command runner (a CLI's parse, help and exit code). */
export { runCommand, nodeProcess, type CommandProcess, type CommandSpec } from './run-command';
