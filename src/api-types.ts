/** Public types of the programmatic API (SPEC section 5). */

export type Mode = "reverse" | "forward" | "both";

/** Stages whose view of the program `--dump` prints. */
export const DUMP_STAGES = ["ir", "activity", "tbr"] as const;
export type DumpStage = (typeof DUMP_STAGES)[number];

export interface CompileOptions {
  /** Path of the source file; diagnostics and the generated header name it. */
  fileName: string;
  /** The file's text. When omitted it is read from disk. */
  sourceText?: string;
  /** Which derivatives to emit: `f_grad`/`f_vjp` (reverse), `f_jvp` (forward), or both (default). */
  mode?: Mode;
  /**
   * Where the generated module will be written (default: beside the source). Imports of the
   * source's declared derivatives (`model.js` for `model.ts`) are relative to it.
   */
  outFile?: string;
  /** Also emit `f_jacobian` for functions with a numeric-array result (`--jacobian`). */
  jacobian?: boolean;
  /** Also emit `f_hvp` (Hessian-vector products) for functions with a number result (`--hvp`). */
  hvp?: boolean;
  /** Also emit `f_hessian` (dense, from `f_hvp`) for functions with a number result (`--hessian`; implies `--hvp`). */
  hessian?: boolean;
  /**
   * Automatic checkpointing (`--tape-budget`), in bytes: in reverse mode, a loop that could be
   * marked `// tsgrad: checkpoint` and records on the tape switches to checkpoints once it has
   * recorded this much.
   */
  tapeBudget?: number;
  /**
   * The project's tsconfig.json (or a directory holding one) whose module resolution, `paths`,
   * `types` and `lib` the type check uses (`--project`); default: the nearest tsconfig.json
   * above the source that includes it.
   */
  project?: string;
  /**
   * `"inline"` (`--runtime inline`): the module carries the runtime code it uses instead of
   * importing `tsgrad/runtime`. Default `"import"`.
   */
  runtime?: "import" | "inline";
  /**
   * Also return `sourceMap`: each generated line that comes from a statement of the source
   * maps to it (the bundler plugins attach it to the modules they generate).
   */
  sourceMap?: boolean;
  /** Restricts the selected exported functions to these names (`--fn`). */
  functions?: string[];
  /** Restricts the differentiated parameters to these names (`--wrt`). */
  wrt?: string[];
  /** Reuses parsed library files and unchanged sources between calls (bundler plugins, watch). */
  cache?: CompileCache;
  /**
   * Generated modules of the same run not written yet (absolute path -> text), read in place of
   * the files: `tsgrad compile dir` compiles `inner.ts` before an `outer.ts` that imports
   * `./inner.grad.js`, and the nested derivatives of outer.ts see the new inner.grad.ts.
   */
  generated?: ReadonlyMap<string, string>;
  /** Also print these stages' views of the program into `CompileResult.dump` (`--dump`). */
  dump?: DumpStage[];
  /**
   * @internal For tests of the tidy pass (src/emit/tidy): "off" prints the transforms' code as
   * it is, "exact" leaves out the rewrites that round differently. Default "all".
   */
  tidy?: "off" | "exact" | "all";
}

export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  /** Stable code such as `TSG1004`. TypeScript's own errors keep their `TS` code. */
  code: string;
  severity: Severity;
  message: string;
  /** File the diagnostic points into, as given (absolute when it came from an import). */
  file: string;
  /** 1-based line and UTF-16 column of the start of the offending code. */
  line: number;
  column: number;
  /** Length of the offending span in UTF-16 code units (at least 1). */
  length: number;
  /** The text of the offending line, without its line break. */
  lineText: string;
}

/** A source map, version 3 (emit/source-map.ts writes them). */
export interface SourceMapV3 {
  version: 3;
  file: string;
  sources: string[];
  sourcesContent: string[];
  names: string[];
  mappings: string;
}

export interface CompileResult {
  /** The generated module, or undefined when an error diagnostic was reported. */
  code: string | undefined;
  diagnostics: Diagnostic[];
  /** Every project file the result depends on (the source and the files it imports). */
  dependencies: string[];
  /** Names of the functions that were differentiated. */
  functions: string[];
  /** The stages' views asked for with `dump`, as text. */
  dump?: string;
  /** With `sourceMap`: the module's source map (version 3, sources relative to `outFile`'s directory). */
  sourceMap?: SourceMapV3;
}

/** Opaque cache handle; create one with `createCompileCache()`. */
export interface CompileCache {
  readonly kind: "tsgrad-compile-cache";
}
