/**
 * Differential checks of one fuzz program: compile it in-process, load the original and the
 * generated module, and compare derivatives.
 *
 * - The program must compile without diagnostics, select every exported function, and compile to
 *   the same bytes twice (the second time with another compile cache, or none).
 * - At random points, `checkPoint` (test/helpers/gradcheck.ts) checks f_grad (f_vjp for a vector
 *   result) against central finite differences, f_jvp against it (<grad, v> == jvp(v)), values
 *   against the original, and that inputs are not mutated. Integer parameters (loop bounds,
 *   recursion depths) are not perturbed and must get a derivative of exactly 0; so are index fields
 *   (INDEX_FIELDS: `i`, `j` of a Spring) of elements of arrays of objects. Every reverse
 *   call must leave the tape as it found it. f_grad_into (f_vjp_into) must add the same gradient
 *   into buffers the caller fills beforehand and return the value.
 * - Sometimes the program is compiled again with `wrt` restricted to some parameters; the
 *   restricted gradient must have exactly those entries, equal to the full gradient's.
 *
 * Skip rule (points near non-differentiable places): a point is skipped when the value is not
 * finite or larger than 1e6 in magnitude, or when, for some perturbed input, the fourth-order
 * central differences with steps h and h/2 (h = 1e-3 * max(1, |x|), as checkPoint uses) are not
 * finite or differ by more than a quarter of the tolerance (relative to max(|fd|, 1e-6)), or
 * when the value at the point is off the curve through its neighbours at +-h/2 and +-h by more
 * than 1e-7 relative (a branch only the point itself takes); a vector result is first reduced to
 * <cotangent, f(x)> with checkPoint's cotangent. A kink, jump or branch switch within 2h of the
 * point makes the estimates disagree, so only points where finite differences are trustworthy
 * are compared with the compiler's derivatives.
 *
 * Modules are loaded without touching the disk: the generated one is transformed to CommonJS by
 * esbuild (the original is printed as JavaScript by ast.ts, or transformed too) and run with
 * `new Function`, with `require("tsgrad/runtime")` answered by the runtime this file imports (so
 * the tape the checks inspect is the one generated code uses). Unlike `import()`, nothing stays
 * in a module cache, which matters for a long run of 100,000 programs.
 */
import path from "node:path";
import { transformSync } from "esbuild";
import { compile, createCompileCache, formatDiagnostic } from "../../src/index.js";
import type { CompileCache } from "../../src/index.js";
import * as runtime from "../../runtime/index.js";
import { type Arg, checkPoint, clone, reshape, rng, scalarOf, slots } from "../helpers/gradcheck.js";
import type { EntryInfo, ParamKind, Shape, ShapeField } from "./ast.js";
import { INDEX_FIELDS, MAX_INT, MIN_VEC, PARAM_RANGE } from "./generator.js";

/** The file name programs are compiled as (it appears in the generated header). */
export const FUZZ_FILE = "/fuzz/program.ts";

export type FailureKind =
  | "ts-error" // the generated program does not type-check: a generator bug
  | "rejected" // a valid program got a tsgrad diagnostic
  | "internal-error" // TSG9001
  | "compile-threw" // compile() threw instead of reporting
  | "selection" // an exported function was not differentiated
  | "nondeterministic"
  | "generated-invalid" // the generated module does not parse or load
  | "missing-export"
  | "primal-threw" // the original program threw: a generator bug
  | "derivative-threw"
  | "tape-imbalance"
  | "gradient" // checkPoint failed (finite differences, jvp vs grad, value, mutation)
  | "integer-gradient" // nonzero derivative for an integer parameter
  | "wrt"
  | "grad-into" // f_grad_into does not add the gradient into the caller's buffers
  | "hvp" // f_hvp disagrees with central differences of f_grad along v (or with f_grad itself)
  | "checkpoint" // with its loops checkpointed, the program fails to compile or its gradient changes
  | "fuzzer-error"; // the fuzzer itself threw

export interface Failure {
  kind: FailureKind;
  fn?: string;
  message: string;
  point?: Arg[];
}

export interface CheckStats {
  functions: number;
  points: number;
  checkedPoints: number;
  skippedRange: number;
  skippedNonsmooth: number;
  derivatives: number;
  wrtChecks: number;
  /** Loops compiled with `// tsgrad: checkpoint` whose gradients were compared (fuzz --checkpoint). */
  checkpointedLoops: number;
}

export interface CheckResult {
  failures: Failure[];
  stats: CheckStats;
  code?: string;
}

export interface CheckOptions {
  /** Random points per exported function (default 3). */
  points?: number;
  /** Relative tolerance of gradients against finite differences (default 1e-5). */
  fdTolerance?: number;
  /** Seed of the points (default: derived from nothing, 1). */
  pointSeed?: number;
  /** Points checked before the random ones (reproducing a failure). */
  extraPoints?: Record<string, Arg[][]>;
  /** Compile twice and compare bytes (default true). */
  determinism?: boolean;
  /** Also check a `wrt`-restricted compile (default: decided by pointSeed, one program in four). */
  wrt?: boolean;
  /** Shared compile cache for the first compile. */
  cache?: CompileCache;
  /** Stop at the first failure (reduction). */
  stopAtFirst?: boolean;
  /** Known compiler bugs to steer clear of (see known-bugs.ts). */
  avoid?: string[];
  /** `wrt` subsets to check, per function (instead of random ones). */
  wrtSubsets?: Record<string, string[]>;
  /** The program as a CommonJS script (saves a TypeScript transform); default: transformed `source`. */
  primalJs?: string;
  /** Compile with `--hvp` and check each f_hvp against central differences of f_grad (fuzz --hvp). */
  hvp?: boolean;
  /**
   * Compile again with `// tsgrad: checkpoint` above every loop that allows it (fuzz
   * --checkpoint) and check that each gradient is the one recorded in full.
   */
  checkpoint?: boolean;
  /** Tampers with the loaded generated module (the checker's own tests: it must notice). */
  tamper?: (generated: Record<string, unknown>, code: string) => void;
}

type AnyFn = (...args: unknown[]) => any;

const sharedCache = createCompileCache();
/** The second compile's cache in the determinism check (never the first's). */
const determinismCache = createCompileCache();

/**
 * Loads TypeScript module text as a CommonJS module; its allowed imports are tsgrad/runtime and
 * the program itself (`./program.js`, for the derivatives it declares), given as `program`.
 */
export function loadModule(tsCode: string, program?: Record<string, unknown>): Record<string, unknown> {
  return loadJs(transformSync(tsCode, { loader: "ts", format: "cjs", target: "es2022" }).code, program);
}

/** Runs a CommonJS script and returns its exports. */
export function loadJs(js: string, program?: Record<string, unknown>): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): unknown => {
    if (id === "tsgrad/runtime") return runtime;
    if (id === `./${path.basename(FUZZ_FILE, ".ts")}.js` && program) return program;
    throw new Error(`generated code imports '${id}'; only 'tsgrad/runtime' is allowed`);
  };
  new Function("require", "module", "exports", js)(require, module, module.exports);
  return module.exports;
}

function sampleArg(kind: ParamKind, r: () => number, length: number, shape?: Shape): Arg {
  switch (kind) {
    case "num":
      return round6((r() * 2 - 1) * PARAM_RANGE);
    case "struct":
      return sampleStruct(shape!, r) as Arg;
    case "rows":
      // Index fields (`i`, `j` of a Spring) are integers below MIN_VEC: valid in every array of the program.
      return Array.from({ length }, () => sampleStruct(shape!, r, true)) as Arg;
    case "int":
      return Math.floor(r() * (MAX_INT + 1));
    case "f64":
      return new Float64Array(Array.from({ length }, () => round6((r() * 2 - 1) * PARAM_RANGE)));
    case "mat": {
      const cols = MIN_VEC + (length % 2);
      return Array.from({ length }, () => Array.from({ length: cols }, () => round6((r() * 2 - 1) * PARAM_RANGE)));
    }
    default:
      return Array.from({ length }, () => round6((r() * 2 - 1) * PARAM_RANGE));
  }
}

/**
 * A JSON value of `shape`: numbers in the parameter range, booleans either way; in an element of an
 * array of objects (`row`), index fields (INDEX_FIELDS) are integers 0 .. MIN_VEC - 1.
 */
function sampleStruct(shape: Shape, r: () => number, row = false): unknown {
  switch (shape.k) {
    case "num":
      return round6((r() * 2 - 1) * PARAM_RANGE);
    case "bool":
      return r() < 0.5;
    case "obj": {
      // (Idioms mode's optional fields are left out one time in three; list fields hold 2 or 3 elements.
      // No draws for shapes without them, so the other modes' points stay as they were.)
      const fields = shape.fields.filter((f) => !f.optional || r() >= 1 / 3);
      const value = (f: ShapeField): unknown =>
        f.list ? Array.from({ length: MIN_VEC + Math.floor(r() * 2) }, () => sampleStruct(f.shape, r, true)) : row && f.shape.k === "num" && INDEX_FIELDS.includes(f.name) ? Math.floor(r() * MIN_VEC) : sampleStruct(f.shape, r, row);
      return Object.fromEntries(fields.map((f) => [f.name, value(f)]));
    }
    case "tuple":
      return shape.items.map((t) => sampleStruct(t, r, row));
  }
}

/** Points are printed in reports; six decimals keep them exact in JSON and readable. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The cotangent checkPoint uses for a vector or structured result (weights from rng(1234), one per
 * number, shaped like the result), so that the skip rule looks at the same scalar function
 * <cotangent, f(x)> that the gradient check compares.
 */
function cotangentFor(value: unknown): { cotangent: unknown; weights: number[] } | undefined {
  if (typeof value === "number") return undefined;
  const r = rng(1234);
  const weights = slots([value]).map(() => r() * 2 - 1);
  return { cotangent: value instanceof Float64Array ? new Float64Array(weights) : reshape(value, weights), weights };
}

function fd4(f: (x: number) => number, x0: number, h: number): number {
  return (-f(x0 + 2 * h) + 8 * f(x0 + h) - 8 * f(x0 - h) + f(x0 - 2 * h)) / (12 * h);
}

type Smoothness = "ok" | "range" | "nonsmooth";

/** The skip rule (see the file comment). */
function smoothAt(primal: AnyFn, point: Arg[], entry: EntryInfo, wrt: string[], tolerance: number): Smoothness {
  const result = primal(...point.map(clone));
  const values = typeof result === "number" ? [result] : slots([result]).map((s) => s.get());
  if (values.some((v) => typeof v !== "number" || !Number.isFinite(v) || Math.abs(v) > 1e6)) return "range";
  const weights = cotangentFor(result)?.weights;
  const args: unknown[] = point.map(clone);
  for (const slot of slots(args)) {
    if (!wrt.includes(entry.params[slot.keys[0] as number]!.name)) continue;
    if (isIndexField(entry, slot.keys)) continue;
    const x0 = slot.get();
    const at = (x: number): number => {
      slot.set(x);
      const y = scalarOf(primal(...args.map(clone)), weights);
      slot.set(x0);
      return y;
    };
    const h = 1e-3 * Math.max(1, Math.abs(x0));
    const a = fd4(at, x0, h);
    const b = fd4(at, x0, h / 2);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return "nonsmooth";
    if (Math.abs(a - b) > (tolerance / 4) * Math.max(1e-6, Math.abs(a), Math.abs(b))) return "nonsmooth";
    // The stencils do not evaluate the point itself: a branch that only the point takes (say
    // `Math.log(Math.exp(x)) <= x`, true or false by rounding) shows as a value off the curve
    // through its neighbours (fourth-order interpolation, error O(h^4)).
    const center = (-at(x0 + h) + 4 * at(x0 + h / 2) + 4 * at(x0 - h / 2) - at(x0 - h)) / 6;
    const f0 = at(x0);
    if (Math.abs(f0 - center) > 1e-7 * Math.max(1, Math.abs(f0))) return "nonsmooth";
  }
  return "ok";
}

/** Whether a slot of the arguments is an index field of an element of an array of objects (never perturbed). */
function isIndexField(entry: EntryInfo, keys: readonly (string | number)[]): boolean {
  return entry.params[keys[0] as number]!.kind === "rows" && INDEX_FIELDS.includes(String(keys[keys.length - 1]));
}

/** Wraps a derivative function: it must not throw and must leave the tape as it found it. */
function guarded(name: string, fn: AnyFn): AnyFn {
  return (...args: unknown[]) => {
    const top = runtime.tape.top;
    const intTop = runtime.tape.intTop;
    let result: unknown;
    try {
      result = fn(...args);
    } catch (error) {
      runtime.tape.top = top;
      runtime.tape.intTop = intTop;
      throw new CheckFailure("derivative-threw", `${name} threw: ${(error as Error).message}`);
    }
    if (runtime.tape.top !== top || runtime.tape.intTop !== intTop) {
      const message = `${name} left the tape unbalanced: values ${top} -> ${runtime.tape.top}, ints ${intTop} -> ${runtime.tape.intTop}`;
      runtime.tape.top = top;
      runtime.tape.intTop = intTop;
      throw new CheckFailure("tape-imbalance", message);
    }
    return result;
  };
}

class CheckFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
  ) {
    super(message);
  }
}

function firstDifference(a: string, b: string): string {
  const la = a.split("\n");
  const lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}: ${JSON.stringify(la[i])} vs ${JSON.stringify(lb[i])}`;
  }
  return "same lines";
}

/** Checks one program; never throws. */
export function checkProgram(source: string, entries: EntryInfo[], options: CheckOptions = {}): CheckResult {
  const stats: CheckStats = { functions: 0, points: 0, checkedPoints: 0, skippedRange: 0, skippedNonsmooth: 0, derivatives: 0, wrtChecks: 0, checkpointedLoops: 0 };
  const failures: Failure[] = [];
  const result: CheckResult = { failures, stats };
  const tolerance = options.fdTolerance ?? 1e-5;
  const r = rng(options.pointSeed ?? 1);

  // Compile.
  let compiled;
  try {
    compiled = compile({ fileName: FUZZ_FILE, sourceText: source, cache: options.cache ?? sharedCache, ...(options.hvp ? { hvp: true } : {}) });
  } catch (error) {
    failures.push({ kind: "compile-threw", message: (error as Error).stack ?? String(error) });
    return result;
  }
  const errors = compiled.diagnostics.filter((d) => d.severity === "error");
  if (compiled.code === undefined || errors.length > 0) {
    const first = errors[0];
    const kind: FailureKind = !first ? "rejected" : first.code.startsWith("TS") && !first.code.startsWith("TSG") ? "ts-error" : first.code === "TSG9001" ? "internal-error" : "rejected";
    failures.push({ kind, message: errors.map((d) => formatDiagnostic(d)).join("\n") || "no code and no error" });
    return result;
  }
  const code = compiled.code;
  result.code = code;
  const expected = entries.map((e) => e.name);
  if (JSON.stringify(compiled.functions) !== JSON.stringify(expected)) {
    const message = `differentiated ${JSON.stringify(compiled.functions)}, expected ${JSON.stringify(expected)}`;
    // tsgrad skips a function that does not type-check, with TypeScript's errors as warnings: the
    // program is wrong, not the selection (a generator bug).
    const typeErrors = compiled.diagnostics.filter((d) => /^TS\d+$/.test(d.code));
    if (typeErrors.length > 0) failures.push({ kind: "ts-error", message: `${message}:\n${typeErrors.map((d) => formatDiagnostic(d)).join("\n")}` });
    else {
      // The warnings say why a function was skipped (TSG2013 and its problems).
      const warnings = compiled.diagnostics.filter((d) => d.severity !== "error").map((d) => formatDiagnostic(d));
      failures.push({ kind: "selection", message: warnings.length > 0 ? `${message}:\n${warnings.join("\n")}` : message });
    }
  }
  if (options.determinism ?? true) {
    // Compiled again with another cache, whose reused program and parsed files come from other
    // programs (output must not depend on what a cache holds); one program in 25 with none at
    // all, which costs a fresh parse of the library files (a third of a check's time).
    const cache = (options.pointSeed ?? 1) % 25 === 0 ? undefined : determinismCache;
    const again = compile({ fileName: FUZZ_FILE, sourceText: source, cache, ...(options.hvp ? { hvp: true } : {}) });
    if (again.code !== code) {
      failures.push({ kind: "nondeterministic", message: again.code === undefined ? "second compile failed" : firstDifference(code, again.code) });
    }
  }

  // Load both modules.
  let primalModule: Record<string, unknown>;
  let generated: Record<string, unknown>;
  try {
    primalModule = options.primalJs !== undefined ? loadJs(options.primalJs) : loadModule(source);
  } catch (error) {
    failures.push({ kind: "primal-threw", message: `loading the program: ${(error as Error).message}` });
    return result;
  }
  try {
    // A plain copy: esbuild's CommonJS exports are getters, which tampering could not replace.
    generated = { ...loadModule(code, primalModule) };
    options.tamper?.(generated, code);
  } catch (error) {
    failures.push({ kind: "generated-invalid", message: (error as Error).message });
    return result;
  }

  const wrtCheck = options.wrtSubsets !== undefined || (options.wrt ?? r() < 0.25);
  for (const entry of entries) {
    if (options.stopAtFirst && failures.length > 0) break;
    stats.functions++;
    const primal = sortedResults(entry, originalOf(primalModule, entry), sortKeys);
    const reverseName = entry.vector ? `${entry.name}_vjp` : `${entry.name}_grad`;
    const grad = generated[reverseName] as AnyFn | undefined;
    const jvp = generated[`${entry.name}_jvp`] as AnyFn | undefined;
    if (typeof grad !== "function" || typeof jvp !== "function") {
      failures.push({ kind: "missing-export", fn: entry.name, message: `generated module lacks ${reverseName} or ${entry.name}_jvp` });
      continue;
    }
    const params = entry.params.map((p) => p.name);
    const wrt = entry.params.filter((p) => p.kind !== "int").map((p) => p.name);
    const ints = entry.params.filter((p) => p.kind === "int").map((p) => p.name);
    const lengths = entry.params.map(() => MIN_VEC + Math.floor(r() * 3));
    const points: Arg[][] = [...(options.extraPoints?.[entry.name] ?? [])];
    for (let k = 0; k < (options.points ?? 3); k++) {
      const point = entry.params.map((p, i) => sampleArg(p.kind, r, lengths[i]!, p.shape));
      // Trailing optional parameters (idioms mode) are left out now and then: the point is shorter.
      // (No draw for entries without them, so the other modes' points stay as they were.)
      if (entry.params.some((p) => p.optional)) {
        let keep = point.length;
        while (keep > 0 && entry.params[keep - 1]!.optional && r() < 0.4) keep--;
        point.length = keep;
      }
      points.push(point);
    }
    const into = generated[`${reverseName}_into`] as AnyFn | undefined;
    const safeInto = typeof into === "function" ? sortedResults(entry, guarded(`${reverseName}_into`, into), sortKeys) : undefined;
    const safeGrad = sortedResults(entry, guarded(reverseName, grad), (v) => ({ ...(v as object), value: sortKeys((v as { value: unknown }).value) }));
    const safeJvp = sortedResults(entry, guarded(`${entry.name}_jvp`, jvp), (v) => ({ value: sortKeys((v as { value: unknown }).value), tangent: sortKeys((v as { tangent: unknown }).tangent) }));
    let wrtGrad: WrtGrad | undefined;
    let checkpointed: AnyFn | undefined;

    for (const point of points) {
      if (options.stopAtFirst && failures.length > 0) break;
      stats.points++;
      let smooth: Smoothness;
      try {
        smooth = smoothAt(primal, point, entry, wrt, tolerance);
      } catch (error) {
        failures.push({ kind: "primal-threw", fn: entry.name, point, message: (error as Error).message });
        continue;
      }
      if (smooth === "range") {
        stats.skippedRange++;
        continue;
      }
      if (smooth === "nonsmooth") {
        stats.skippedNonsmooth++;
        continue;
      }
      try {
        const integerFields = entry.params.some((p) => p.kind === "rows") ? INDEX_FIELDS : undefined;
        try {
          stats.derivatives += checkPoint(entry.name, primal, safeGrad, safeJvp, point.map(clone), { params, wrt, fdTolerance: tolerance, integerFields });
        } catch (error) {
          // checkPoint's own check that an index field's derivative is exactly 0.
          if (!(error instanceof CheckFailure) && /of an index field/.test((error as Error).message)) throw new CheckFailure("integer-gradient", (error as Error).message);
          throw error;
        }
        stats.checkedPoints++;
        const cotangent = cotangentFor(primal(...point.map(clone)))?.cotangent;
        const withCotangent = (args: Arg[]): unknown[] => (cotangent ? [...padded(entry, args), cotangent] : padded(entry, args));
        const full = (safeGrad(...withCotangent(point.map(clone))) as { grad: Record<string, unknown> }).grad;
        // A parameter left out (an optional one) has derivative 0.
        for (const p of entry.params.slice(point.length)) {
          if (full[p.name] !== 0) throw new CheckFailure("gradient", `d/d${p.name} = ${String(full[p.name])} with ${p.name} left out, expected 0`);
        }
        if (entry.vector) checkInactiveLeaves(entry, safeJvp, primal, point);
        for (const n of ints) {
          if (full[n] !== 0) throw new CheckFailure("integer-gradient", `d/d${n} = ${String(full[n])}, expected 0 (an integer parameter used only in comparisons)`);
        }
        if (safeInto) checkInto(safeInto, entry, point, full, primal(...point.map(clone)), cotangent);
        const hvp = generated[`${entry.name}_hvp`] as AnyFn | undefined;
        if (options.hvp && typeof hvp === "function" && !entry.vector) {
          if (checkHvp(entry, guarded(`${entry.name}_hvp`, hvp), safeGrad, point, r)) stats.derivatives++;
        }
        if (options.checkpoint) {
          if (!checkpointed) {
            const compiledWith = compileCheckpointed(source, entry, r, primalModule);
            checkpointed = sortedResults(entry, compiledWith.grad, (v) => ({ ...(v as object), value: sortKeys((v as { value: unknown }).value) }));
            stats.checkpointedLoops += compiledWith.loops;
          }
          checkCheckpointed(checkpointed, entry, point, safeGrad(...withCotangent(point.map(clone))) as Recorded, withCotangent);
        }
        const forced = options.wrtSubsets?.[entry.name];
        // (Not for class members: `wrt` names the function's parameters, and the object is `self` there.)
        if (!entry.vector && !entry.method && (forced || (wrtCheck && wrt.length > 1 && !options.wrtSubsets))) {
          stats.wrtChecks++;
          wrtGrad ??= compileWrt(source, entry, r, options.avoid ?? [], forced, primalModule);
          checkWrt(wrtGrad, entry, point, full);
        }
      } catch (error) {
        const kind = error instanceof CheckFailure ? error.kind : "gradient";
        failures.push({ kind, fn: entry.name, point, message: (error as Error).message });
      }
    }
  }
  return result;
}

/**
 * The original function of an entry. Arguments of class types (EntryInfo params' `cls`) become
 * instances of the program's class (`Object.create(C.prototype)` with the fields assigned, no
 * constructor run), so that their methods exist; a class member `C_m` is called on the instance
 * made from its first argument (`this` in the gradient), a getter read, a static method called on
 * the class.
 */
function originalOf(module: Record<string, unknown>, entry: EntryInfo): AnyFn {
  const instance = (cls: string, a: unknown): unknown => Object.assign(Object.create((module[cls] as { prototype: object }).prototype), a);
  const revive = (args: unknown[]): unknown[] => args.map((a, i) => (entry.params[i]?.cls ? instance(entry.params[i]!.cls!, a) : a));
  const m = entry.method;
  if (entry.voidResult !== undefined) {
    // A void function writing into one array parameter: its result is that argument's final value;
    // updating several: an object of their final values keyed by parameter name.
    const f = module[entry.name] as AnyFn;
    const k = entry.voidResult;
    return (...args: unknown[]) => {
      f(...args);
      return typeof k === "number" ? args[k] : Object.fromEntries(k.map((i) => [entry.params[i]!.name, args[i]]));
    };
  }
  if (!m) {
    const f = module[entry.name] as AnyFn;
    return entry.params.some((p) => p.cls) ? (...args: unknown[]) => f(...revive(args)) : f;
  }
  const cls = module[m.cls] as AnyFn & Record<string, unknown> & { prototype: object };
  if (m.kind === "static") return (...args: unknown[]) => (cls[m.member] as AnyFn).apply(cls, revive(args));
  let descriptor: PropertyDescriptor | undefined;
  for (let proto: object | null = cls.prototype; proto && !descriptor; proto = Object.getPrototypeOf(proto)) descriptor = Object.getOwnPropertyDescriptor(proto, m.member);
  if (!descriptor) throw new Error(`class ${m.cls} has no member ${m.member}`);
  return (...args: unknown[]) => {
    const [self, ...rest] = revive(args);
    return m.kind === "getter" ? descriptor.get!.call(self) : (descriptor.value as AnyFn).apply(self, rest);
  };
}

/** Compiles with `wrt` = a random nonempty proper subset of the parameters and compares. */
/**
 * f_grad_into adds the gradient into buffers the caller owns: start from buffers holding 0.5
 * everywhere; afterwards they must hold 0.5 + the gradient, and the value is returned.
 */
function checkInto(into: AnyFn, entry: EntryInfo, point: Arg[], full: Record<string, unknown>, value: unknown, cotangent: unknown): void {
  const buffers: Record<string, unknown> = {};
  entry.params.forEach((p, i) => (buffers[p.name] = filledLike(point[i]!, 0.5)));
  const name = `${entry.name}_${entry.vector ? "vjp" : "grad"}_into`;
  const args = padded(entry, point.map(clone));
  const returned = cotangent ? into(...args, cotangent, buffers) : into(...args, buffers);
  if (JSON.stringify(flat(returned)) !== JSON.stringify(flat(value)) || JSON.stringify(inactiveLeaves(returned)) !== JSON.stringify(inactiveLeaves(value))) {
    throw new CheckFailure("grad-into", `${name} returned ${JSON.stringify(returned)}, the function's value is ${JSON.stringify(value)}`);
  }
  for (const p of entry.params) {
    const got = flat(buffers[p.name]);
    const want = flat(full[p.name]).map((g) => 0.5 + g);
    const same = got.length === want.length && got.every((x, i) => Math.abs(x - want[i]!) <= 1e-12 * Math.max(1, Math.abs(x)));
    if (!same) throw new CheckFailure("grad-into", `${name} added ${JSON.stringify(got.map((x) => x - 0.5))} into grad.${p.name}, f_grad gives ${JSON.stringify(flat(full[p.name]))}`);
  }
}

interface WrtGrad {
  subset: string[];
  grad: AnyFn;
}

/** Compiles `entry` alone with `wrt` restricted to some parameters (one compile per function). */
function compileWrt(source: string, entry: EntryInfo, r: () => number, avoid: string[], forced: string[] | undefined, program: Record<string, unknown>): WrtGrad {
  const candidates = entry.params.filter((p) => p.kind !== "int").map((p) => p.name);
  let subset = candidates.filter(() => r() < 0.5);
  if (subset.length === 0 || subset.length === candidates.length) subset = [candidates[Math.floor(r() * candidates.length)]!];
  if (avoid.includes("wrt-assigned-param")) subset = candidates.filter((p) => subset.includes(p) || entry.assigned.includes(p));
  if (forced) subset = forced;
  const compiled = compile({ fileName: FUZZ_FILE, sourceText: source, wrt: subset, functions: [entry.name], cache: sharedCache });
  if (compiled.code === undefined) {
    throw new CheckFailure("wrt", `compiling with wrt ${JSON.stringify(subset)} failed: ${compiled.diagnostics.map((d) => formatDiagnostic(d)).join("\n")}`);
  }
  const generated = loadModule(compiled.code, program);
  return { subset, grad: guarded(`${entry.name}_grad (wrt)`, generated[`${entry.name}_grad`] as AnyFn) };
}

const NOT_CHECKPOINTABLE = "TSG1101";

/**
 * The entry's reverse entry point compiled with a small `--tape-budget`, or with
 * `// tsgrad: checkpoint` (or `... every N`, N from 1 to 3, so that short loops have several
 * stretches) above every loop: the directives on
 * loops tsgrad refuses (TSG1101: nested, left early) are taken out again one by one. Any other
 * error is a failure; a function with no loop left to checkpoint is compared with itself.
 */
function compileCheckpointed(source: string, entry: EntryInfo, r: () => number, program: Record<string, unknown>): { grad: AnyFn; loops: number } {
  const name = entry.vector ? `${entry.name}_vjp` : `${entry.name}_grad`;
  // Half the programs: no directives, a tape budget of 8 to 480 bytes (`--tape-budget`), so
  // that loops switch to checkpoints after an iteration or a few.
  if (r() < 0.5) {
    const tapeBudget = 8 * (1 + Math.floor(r() * 60));
    const compiled = compile({ fileName: FUZZ_FILE, sourceText: source, functions: [entry.name], cache: sharedCache, tapeBudget });
    if (compiled.code === undefined) throw new CheckFailure("checkpoint", `compiling with --tape-budget ${tapeBudget} failed:\n${compiled.diagnostics.map((d) => formatDiagnostic(d)).join("\n")}`);
    const generated = loadModule(compiled.code, program);
    return { grad: guarded(`${name} (tape budget ${tapeBudget} bytes)`, generated[name] as AnyFn), loops: compiled.code.match(/const tapeLimit\w* = /g)?.length ?? 0 };
  }
  const lines = source.split("\n");
  const marked = new Set<number>();
  const out: string[] = [];
  for (const line of lines) {
    const loop = /^(\s*)for \(/.exec(line);
    if (loop) {
      const every = Math.floor(r() * 4);
      marked.add(out.length);
      out.push(`${loop[1]}// tsgrad: checkpoint${every === 0 ? "" : ` every ${every}`}`);
    }
    out.push(line);
  }
  for (;;) {
    const compiled = compile({ fileName: FUZZ_FILE, sourceText: out.join("\n"), functions: [entry.name], cache: sharedCache });
    const errors = compiled.diagnostics.filter((d) => d.severity === "error");
    const refused = errors.find((d) => d.code === NOT_CHECKPOINTABLE && marked.has(d.line - 2));
    if (refused) {
      out[refused.line - 2] = "";
      marked.delete(refused.line - 2);
      continue;
    }
    if (compiled.code === undefined || errors.length > 0) {
      throw new CheckFailure("checkpoint", `compiling with checkpointed loops failed:\n${errors.map((d) => formatDiagnostic(d)).join("\n")}\n${out.join("\n")}`);
    }
    const generated = loadModule(compiled.code, program);
    return { grad: guarded(`${name} (checkpointed)`, generated[name] as AnyFn), loops: marked.size };
  }
}

type Recorded = { value: unknown; grad: Record<string, unknown> };

function checkCheckpointed(grad: AnyFn, entry: EntryInfo, point: Arg[], recorded: Recorded, withCotangent: (args: Arg[]) => unknown[]): void {
  const result = grad(...withCotangent(point.map(clone))) as Recorded;
  const full = recorded.grad;
  const [value, expected] = [flat(result.value), flat(recorded.value)];
  if (JSON.stringify(value) !== JSON.stringify(expected)) throw new CheckFailure("checkpoint", `with its loops checkpointed, the value is ${JSON.stringify(value)}, recorded in full ${JSON.stringify(expected)}`);
  for (const p of entry.params) {
    const a = flat(result.grad[p.name]);
    const b = flat(full[p.name]);
    const close = a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= 1e-10 * Math.max(1, Math.abs(x), Math.abs(b[i]!)));
    if (!close) throw new CheckFailure("checkpoint", `with its loops checkpointed, d/d${p.name} = ${JSON.stringify(a)}, recorded in full ${JSON.stringify(b)}`);
  }
}

function checkWrt({ subset, grad }: WrtGrad, entry: EntryInfo, point: Arg[], full: Record<string, unknown>): void {
  const restricted = (grad(...padded(entry, point.map(clone))) as { grad: Record<string, unknown> }).grad;
  const keys = Object.keys(restricted).sort();
  if (JSON.stringify(keys) !== JSON.stringify([...subset].sort())) {
    throw new CheckFailure("wrt", `with wrt ${JSON.stringify(subset)} the gradient has entries ${JSON.stringify(keys)}`);
  }
  for (const name of subset) {
    const a = JSON.stringify(flat(restricted[name]));
    const b = JSON.stringify(flat(full[name]));
    const av = flat(restricted[name]);
    const bv = flat(full[name]);
    const close = av.length === bv.length && av.every((x, i) => Math.abs(x - bv[i]!) <= 1e-12 * Math.max(1, Math.abs(x), Math.abs(bv[i]!)));
    if (!close) throw new CheckFailure("wrt", `with wrt ${JSON.stringify(subset)}, d/d${name} = ${a} but the full gradient has ${b}`);
  }
}

/** A gradient buffer shaped like argument `a` (booleans have no gradient), every number `fill`. */
function filledLike(a: unknown, fill: number): unknown {
  // (An optional number parameter left out: its gradient entry is a number.)
  if (typeof a === "number" || a === undefined) return fill;
  if (a instanceof Float64Array) return new Float64Array(a.length).fill(fill);
  if (Array.isArray(a)) return a.map((x) => filledLike(x, fill));
  return Object.fromEntries(Object.entries(a as Record<string, unknown>).filter(([, x]) => typeof x !== "boolean").map(([k, x]) => [k, filledLike(x, fill)]));
}

/** The numbers of a value in order (arrays, objects, tuples); a missing one shows as NaN. */
function flat(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (typeof v === "boolean" || typeof v === "string") return [];
  if (v && typeof (v as ArrayLike<unknown>).length === "number") return Array.from(v as ArrayLike<unknown>).flatMap((x) => flat(x));
  if (v && typeof v === "object") return Object.values(v).flatMap((x) => flat(x));
  return [NaN];
}

/** The arguments with parameters left out (trailing optional ones) passed as undefined, as the entry points take them. */
function padded(entry: EntryInfo, args: unknown[]): unknown[] {
  return args.length >= entry.params.length ? args : [...args, ...new Array<undefined>(entry.params.length - args.length).fill(undefined)];
}

/** The booleans and strings of a value with their paths, in order. */
function inactiveLeaves(v: unknown, path: (string | number)[] = [], out: [(string | number)[], unknown][] = []): [(string | number)[], unknown][] {
  if (typeof v === "boolean" || typeof v === "string") out.push([path, v]);
  else if (Array.isArray(v)) v.forEach((x, i) => inactiveLeaves(x, [...path, i], out));
  else if (v && typeof v === "object" && !ArrayBuffer.isView(v)) for (const [k, x] of Object.entries(v)) inactiveLeaves(x, [...path, k], out);
  return out;
}

/**
 * A result carrying booleans or strings (idioms mode): f_jvp's tangent leaves them out, a tuple
 * keeping the position with 0, and its value has them as the function computed them.
 */
function checkInactiveLeaves(entry: EntryInfo, jvp: AnyFn, primal: AnyFn, point: Arg[]): void {
  const value = primal(...point.map(clone));
  const leaves = inactiveLeaves(value);
  if (leaves.length === 0) return;
  const { value: got, tangent } = jvp(...padded(entry, point.map(clone)), {}) as { value: unknown; tangent: unknown };
  if (JSON.stringify(inactiveLeaves(got)) !== JSON.stringify(leaves)) {
    throw new CheckFailure("gradient", `${entry.name}_jvp's value has ${JSON.stringify(inactiveLeaves(got))} where the function computed ${JSON.stringify(leaves)}`);
  }
  for (const [path] of leaves) {
    let parent: unknown = tangent;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | undefined)?.[key];
    const last = path[path.length - 1]!;
    const t = (parent as Record<string | number, unknown> | undefined)?.[last];
    const ok = Array.isArray(parent) ? t === 0 : t === undefined;
    if (!ok) throw new CheckFailure("gradient", `${entry.name}_jvp's tangent has ${JSON.stringify(t)} at ${path.join(".")}, where the value has a ${typeof leaves[0]![1]} (expected ${Array.isArray(parent) ? "0" : "no field"})`);
  }
}

/** A copy of `v` with the keys of its objects in sorted order (arrays and typed arrays kept). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object" && !ArrayBuffer.isView(v)) {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

/** `fn` with its result passed through `canon` when the entry asks for sorted keys (EntryInfo.sortKeys). */
function sortedResults(entry: EntryInfo, fn: AnyFn, canon: (v: unknown) => unknown): AnyFn {
  return entry.sortKeys ? (...args: unknown[]) => canon(fn(...args)) : fn;
}

/**
 * f_hvp at a point against central differences of f_grad along a random direction v, where the
 * gradient is smooth enough for them (two step sizes agree); its gradient against f_grad's.
 * Returns whether the product was compared.
 */
function checkHvp(entry: EntryInfo, hvp: AnyFn, grad: AnyFn, point: Arg[], r: () => number): boolean {
  const names = entry.params.map((p) => p.name);
  const numeric = (a: Arg): boolean => typeof a === "number" || a instanceof Float64Array || (Array.isArray(a) && a.every((x) => typeof x === "number"));
  const direction: Record<string, Arg> = {};
  entry.params.forEach((p, i) => {
    const a = point[i];
    if (a === undefined || p.kind === "int" || !numeric(a)) return;
    direction[p.name] = typeof a === "number" ? r() * 2 - 1 : (Array.from(a as ArrayLike<number>, () => r() * 2 - 1) as Arg);
  });
  const moved = (h: number): Arg[] =>
    point.map((a, i) => {
      const d = direction[names[i]!];
      if (d === undefined) return clone(a);
      if (typeof a === "number") return a + h * (d as number);
      const values = Array.from(a as ArrayLike<number>, (x, k) => x + h * (d as number[])[k]!);
      return (a instanceof Float64Array ? Float64Array.from(values) : values) as Arg;
    });
  const gradAt = (args: Arg[]): number[] => {
    const g = (grad(...args) as { grad: Record<string, unknown> }).grad;
    return names.flatMap((n) => (direction[n] === undefined ? [] : typeof g[n] === "number" ? [g[n] as number] : Array.from(g[n] as ArrayLike<number>)));
  };
  const out = hvp(...point.map(clone), direction) as { grad: Record<string, unknown>; hvp: Record<string, unknown> };
  const flat = (x: Record<string, unknown>): number[] => names.flatMap((n) => (direction[n] === undefined ? [] : typeof x[n] === "number" ? [x[n] as number] : Array.from(x[n] as ArrayLike<number>)));
  const exact = gradAt(point.map(clone));
  const fromHvp = flat(out.grad);
  exact.forEach((g, k) => {
    if (!(Math.abs(fromHvp[k]! - g) <= 1e-9 * Math.max(1, Math.abs(g)))) throw new CheckFailure("hvp", `${entry.name}_hvp's grad ${JSON.stringify(fromHvp)} differs from ${entry.name}_grad's ${JSON.stringify(exact)}`);
  });
  const fd = (h: number): number[] => {
    const plus = gradAt(moved(h));
    const minus = gradAt(moved(-h));
    return plus.map((p, k) => (p - minus[k]!) / (2 * h));
  };
  const coarse = fd(1e-4);
  const fine = fd(2e-5);
  const product = flat(out.hvp);
  let compared = false;
  fine.forEach((f, k) => {
    const scale = Math.max(1, Math.abs(f));
    // A kink of the gradient between the probes (max, abs, branches): the two estimates differ.
    if (!Number.isFinite(f) || Math.abs(f - coarse[k]!) > 1e-4 * scale) return;
    compared = true;
    if (!(Math.abs(product[k]! - f) <= 1e-4 * scale)) throw new CheckFailure("hvp", `${entry.name}_hvp element ${k}: ${product[k]} vs central differences of ${entry.name}_grad ${f} (v = ${JSON.stringify(direction)})`);
  });
  return compared;
}
