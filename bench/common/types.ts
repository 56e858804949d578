/** What every workload hands to the harness (bench/run.ts). */

/** A gradient result reduced to the workload's canonical flat order, for the agreement check. */
export interface Flat {
  /** Objective value (NaN when the method does not compute it, e.g. a Jacobian-only method). */
  value: number;
  /** The gradient (or Jacobian values) in the workload's canonical order. */
  grad: ArrayLike<number>;
  /**
   * Positions in the canonical order that `grad` holds, when the method computes only part of
   * the gradient (compared with those entries only) or holds it in another order (particles'
   * tsgrad-flat: its [x0, v0, masses] into [pos.x, pos.y, vel.x, vel.y, mass] per particle).
   */
  index?: number[];
}

/** A ready-to-run method: what `Method.create` returns. */
export interface MethodImpl {
  /** Evaluates the objective with this method's own machinery. Its result is only kept alive. */
  objective?: () => unknown;
  /** Evaluates value and gradient (or the Jacobian). */
  gradient: () => unknown;
  /** Reduces a gradient() result to the canonical flat order (not timed). */
  flatten: (r: unknown) => Flat;
  /** Tape memory in bytes after a gradient call (tsgrad), or undefined. */
  tapeBytes?: () => number | undefined;
  /** Called before the first objective call and before the first gradient call. */
  prepare?: () => void;
  /** Releases resources (jax-js arrays, TF.js tensors) after the method's rows are done. */
  dispose?: () => void;
}

export interface Method {
  /** Row label: "hand", "tsgrad", "fd", "tfjs", "jax", "jax-jit". */
  name: string;
  /**
   * "js": plain JavaScript (hand, tsgrad, fd), run in the main thread; "peer": a library (TF.js,
   * jax-js), run in a worker thread with a deadline and a large stack. Keeping the libraries out
   * of the main isolate matters: jax-js's WebAssembly memory growth detaches an ArrayBuffer,
   * which permanently switches V8 to slower typed-array accesses (~25%, its "array buffer
   * detaching protector") in that isolate.
   */
  kind: "js" | "peer";
  /** Largest acceptable max relative difference to the hand-written gradient. */
  tol: number;
  /** When set, the method is listed with this reason instead of being run. */
  skip?: string;
  /** When set, the method takes minutes: it is skipped with this reason unless `--all` is given. */
  slow?: string;
  /** Builds the method (uploads data, traces nothing yet); called right before it runs. */
  create: () => MethodImpl | Promise<MethodImpl>;
}

export interface Case {
  workload: string;
  /** Human-readable size, e.g. "1k d=10 K=25". */
  size: string;
  /** Number of independent variables. */
  nparams: number;
  /** Methods in display order; the first one named "hand" is the reference. */
  methods: Method[];
  /** Sanity checks of objective.ts against known values (e.g. ADBench's reference figures). */
  checks?: ValueCheck[];
  /**
   * Gradient time ratios measured interleaved (bench/common/measure.ts, measureRounds): after
   * the rows, the gradients of the methods named here (plain-JS methods that agreed with the
   * reference) are sampled in alternation within one time window, and each ratio is reported
   * as the median of the per-round ratios with its quartiles.
   */
  ratios?: { num: string; den: string }[];
}

/** Options every workload's case builder receives. */
export interface BuildOptions {
  quick: boolean;
  /** Names of the methods to include (undefined: all). */
  methods?: string[];
}

export interface ValueCheck {
  label: string;
  actual: number;
  expected: number;
  /** Relative tolerance. */
  tol: number;
}
