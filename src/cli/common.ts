/**
 * What the CLI's entry (main.ts) and its compile command (compile-command.ts) share. Kept free of
 * the compiler's imports: main.ts loads this eagerly, and `tsgrad --version` or `--help` must not
 * pay for loading TypeScript.
 */
import type { DumpStage, Mode } from "../api-types.js";

export const EXIT_OK = 0;
export const EXIT_DIAGNOSTICS = 1;
export const EXIT_USAGE = 2;

/** Where the CLI reads and writes: the process's streams and working directory, or a test's. */
export interface Io {
  /** Prints one line (without its newline) to standard output. */
  out: (text: string) => void;
  /** Prints one line (without its newline) to standard error. */
  err: (text: string) => void;
  /** The directory relative paths are resolved against and shown relative to. */
  cwd: string;
}

export interface CompileFlags {
  output?: string;
  outDir?: string;
  mode: Mode;
  fn: string[];
  wrt: string[];
  check: boolean;
  watch?: boolean;
  /** Default: ts, and js for a JavaScript source. */
  emit?: "ts" | "js";
  runtime: "import" | "inline";
  jacobian: boolean;
  hvp: boolean;
  hessian: boolean;
  tapeBudget?: number;
  project?: string;
  verbose: boolean;
  dump?: DumpStage[];
}

export interface CheckFlags {
  fn: string[];
  project?: string;
  points: number;
  seed: number;
  tolerance: number;
}

/** A mistake in how the command was called (exit status 2). */
export class UsageError extends Error {}
