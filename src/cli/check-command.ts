/**
 * `tsgrad check`: compiles each file in memory, runs the source and the generated module in
 * this process (check-load.ts), and checks every generated derivative at random points of the
 * parameters' types (check-args.ts): reverse mode against central finite differences of the
 * source's function, and forward against reverse (<grad, v> == jvp(v)). Prints a table per file
 * and exits 1 when a derivative disagrees (or a file does not compile). Loaded by main.ts only
 * when a check runs.
 */
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../api-types.js";
import { compile } from "../compile.js";
import { formatDiagnostic } from "../diagnostics.js";
import { createCompileCache } from "../frontend/program.js";
import { type EntryPoints, GeneratedModule, type Leaf, classOfParam, sampleArguments } from "./check-args.js";
import { importFile, makeTemporaryDirectory, transpileTree } from "./check-load.js";
import { rng } from "./random.js";
import { type CheckFlags, EXIT_DIAGNOSTICS, EXIT_OK, type Io } from "./common.js";
import { collectInputs, displayPath } from "./files.js";

type AnyFn = (...args: unknown[]) => unknown;

/** One function's outcome. */
export interface FunctionReport {
  name: string;
  points: number;
  fdError: number | undefined;
  jvpError: number | undefined;
  /** What was not compared: inactive numbers, nonsmooth points, ... */
  notes: string[];
  /** The first disagreement (or failure) found, in words. */
  failure: string | undefined;
}

/** A seed per function, so that one function's points do not depend on the others. */
function seedFor(seed: number, name: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function get(root: unknown, keys: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const k of keys) {
    if (v === null || v === undefined) return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function set(root: unknown[], keys: readonly (string | number)[], x: number): void {
  const parent = get(root, keys.slice(0, -1)) as Record<string | number, number>;
  parent[keys[keys.length - 1]!] = x;
}

/** Every number inside a value, by position (`keys`), in a fixed order. */
function numbersIn(value: unknown, keys: (string | number)[] = [], out: { keys: (string | number)[]; single: boolean }[] = []): typeof out {
  if (typeof value === "number") out.push({ keys, single: false });
  else if (value instanceof Float32Array || value instanceof Float64Array) for (let k = 0; k < value.length; k++) out.push({ keys: [...keys, k], single: value instanceof Float32Array });
  else if (Array.isArray(value)) value.forEach((v, k) => numbersIn(v, [...keys, k], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) numbersIn(v, [...keys, k], out);
  return out;
}

function clone<T>(a: T): T {
  return structuredClone(a);
}

/** What a function computes, as one number: a scalar result, or a result weighted by the cotangent. */
function weighted(result: unknown, weights: number[] | undefined): number {
  if (typeof result === "number") return result;
  return numbersIn(result).reduce((s, slot, i) => s + (get(result, slot.keys) as number) * weights![i]!, 0);
}

function finite(value: unknown): boolean {
  if (value === undefined) return false;
  return numbersIn(value).every((slot) => Number.isFinite(get(value, slot.keys) as number));
}

function describe(value: unknown): string {
  const number = (v: number): number | string => (Number.isFinite(v) ? Number(v.toPrecision(6)) : `<${v}>`);
  const text = JSON.stringify(value, (_, v: unknown) => (typeof v === "number" ? number(v) : ArrayBuffer.isView(v) ? [...(v as Float64Array)].map(number) : v)).replace(
    /"<(NaN|-?Infinity)>"/g,
    "$1",
  );
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/** The source's function `fn` under its public name: an export, a class's method, or the default export. */
function primalOf(primal: Record<string, unknown>, fn: string): { call: AnyFn; instance: boolean } | undefined {
  if (typeof primal[fn] === "function") return { call: primal[fn] as AnyFn, instance: false };
  for (const [name, value] of Object.entries(primal)) {
    if (typeof value !== "function" || !fn.startsWith(`${name}_`)) continue;
    const method = fn.slice(name.length + 1);
    const cls = value as unknown as Record<string, unknown> & { prototype: object };
    if (typeof cls[method] === "function") return { call: (cls[method] as AnyFn).bind(cls), instance: false };
    let descriptor: PropertyDescriptor | undefined;
    for (let proto: object | null = cls.prototype; proto && !descriptor; proto = Object.getPrototypeOf(proto)) descriptor = Object.getOwnPropertyDescriptor(proto, method);
    const m = (descriptor?.get ?? descriptor?.value) as AnyFn | undefined;
    if (typeof m === "function") return { call: (self, ...args) => m.apply(Object.assign(Object.create(cls.prototype), self), args), instance: true };
  }
  if (typeof primal.default === "function") return { call: primal.default as AnyFn, instance: false };
  return undefined;
}

const LENGTHS = [3, 4, 2, 5];
const ATTEMPTS = 100;

/** Checks one function at `flags.points` random points. */
export function checkFunction(
  fn: string,
  entry: EntryPoints,
  module: GeneratedModule,
  primalModule: Record<string, unknown>,
  generated: Record<string, unknown>,
  flags: CheckFlags,
): FunctionReport {
  const report: FunctionReport = { name: fn, points: 0, fdError: undefined, jvpError: undefined, notes: [], failure: undefined };
  const found = primalOf(primalModule, fn);
  const reverse = generated[entry.reverse] as AnyFn | undefined;
  const forward = entry.forward ? (generated[entry.forward] as AnyFn | undefined) : undefined;
  if (!found || !reverse) {
    report.failure = !found ? `the source exports no function '${fn}' to compare with` : `the generated module has no ${entry.reverse}`;
    return report;
  }
  const gradKeys = entry.params.map((p, i) => (found.instance && i === 0 ? "this" : p.name));
  // Arguments of an exported class's type become instances of it, so that their methods exist.
  const classes = new Set(Object.entries(primalModule).flatMap(([k, v]) => (typeof v === "function" && /^class\b/.test(Function.prototype.toString.call(v)) ? [k] : [])));
  const revivers = entry.params.map((p) => classOfParam(module, p, classes));
  const revive = (args: unknown[]): unknown[] =>
    args.map((a, i) => {
      const r = revivers[i];
      if (!r || a === undefined) return a;
      const make = (o: unknown): unknown => Object.assign(Object.create((primalModule[r.name] as { prototype: object }).prototype), o);
      return r.array ? (a as unknown[]).map(make) : make(a);
    });
  // A `void` function that updates a parameter (or several) has its final value as its result.
  let updated: { index: number } | { keys: string[] } | undefined;
  const run = (args: unknown[]): unknown => {
    const copy = revive(clone(args));
    const result = found.call(...copy);
    if (result !== undefined || !updated) return result;
    if ("index" in updated) return clone(copy[updated.index]);
    return clone(Object.fromEntries(updated.keys.map((k) => [k, copy[gradKeys.indexOf(k)]])));
  };

  const random = rng(seedFor(flags.seed, fn));
  const fdTolerance = flags.tolerance;
  let inactive = 0;
  let nonsmooth = 0;
  let unperturbed = 0;
  let singles = module.single;
  const fail = (text: string): void => {
    report.failure ??= text;
  };

  let attempt = 0;
  let nondifferentiable = 0;
  let firstNonfinite: string | undefined;
  // (A point where a check failed counts as checked.)
  let started = false;
  points: while (report.points < flags.points && report.failure === undefined) {
    // A point inside the domain: the source's function finite there (else another point).
    let args: unknown[] | undefined;
    let leaves: Leaf[] = [];
    let value: unknown;
    for (let tries = 0; tries < ATTEMPTS && args === undefined; tries++, attempt++) {
      let sample;
      try {
        // Signs alternate; each length comes with both; after 16 tries, blocks of 8 with mixed lengths alternate with the rest.
        const length = LENGTHS[Math.floor(attempt / 2) % LENGTHS.length]!;
        sample = sampleArguments(module, entry, { random, length, mixed: attempt >= 16 && Math.floor(attempt / 8) % 2 === 1, positive: attempt % 2 === 1 });
      } catch (error) {
        report.notes.push(`cannot make arguments: ${(error as Error).message}`);
        return report;
      }
      try {
        const copy = revive(clone(sample.args));
        const result = found.call(...copy);
        if (result === undefined && !finite(copy.filter((a) => a !== undefined))) continue;
        if (result !== undefined && !finite(result)) continue;
      } catch {
        continue;
      }
      args = sample.args;
      leaves = sample.leaves;
    }
    if (args === undefined) {
      const n = report.points;
      report.notes.push(n === 0 ? "no point found where the function is finite" : `finite at ${n} point${n === 1 ? "" : "s"} only`);
      break;
    }
    singles ||= leaves.some((l) => l.single);
    started = true;
    const padded = [...args, ...new Array<undefined>(Math.max(0, entry.params.length - args.length)).fill(undefined)];

    // A `void` function's result: which parameter it updates (the argument that ends as the
    // generated functions' value), or several, as an object of them.
    if (updated === undefined && entry.vector && found.call(...revive(clone(args))) === undefined) {
      let probe: unknown;
      try {
        probe = forward ? (forward(...clone(padded), {}) as { value: unknown }).value : undefined;
      } catch {
        probe = undefined;
      }
      const copy = revive(clone(args));
      found.call(...copy);
      const index = copy.findIndex((a) => a !== undefined && describe(a) === describe(probe));
      if (index >= 0) updated = { index };
      else if (probe && typeof probe === "object" && !Array.isArray(probe) && !ArrayBuffer.isView(probe) && Object.keys(probe).every((k) => gradKeys.includes(k))) {
        updated = { keys: Object.keys(probe) };
      } else {
        const changed = copy.findIndex((a, i) => describe(a) !== describe(args![i]));
        if (changed < 0) {
          fail("the function returns nothing and changes no argument: nothing to compare");
          break;
        }
        updated = { index: changed };
      }
    }
    value = run(args);

    // Reverse mode (a cotangent of random weights for a structured or vector result).
    let rev: { value: unknown; grad: Record<string, unknown> };
    let weights: number[] | undefined;
    try {
      if (entry.vector) {
        const slots = numbersIn(value);
        weights = slots.map((slot) => (slot.single ? Math.fround(random() * 2 - 1) : random() * 2 - 1));
        let cotangent: unknown;
        if (value instanceof Float64Array) cotangent = new Float64Array(weights);
        else if (value instanceof Float32Array) cotangent = new Float32Array(weights);
        else {
          const holder = [clone(value)];
          slots.forEach((slot, k) => set(holder, [0, ...slot.keys], weights![k]!));
          cotangent = holder[0];
        }
        rev = reverse(...clone(padded), cotangent) as typeof rev;
      } else {
        rev = reverse(...clone(padded)) as typeof rev;
      }
    } catch (error) {
      fail(`${entry.reverse} threw at ${describe(args)}: ${(error as Error).message}`);
      break;
    }
    const valueSlots = numbersIn(value);
    const valueGap = valueSlots.length !== numbersIn(rev.value).length ? Infinity : Math.max(0, ...valueSlots.map((s) => relative(get(value, s.keys) as number, get(rev.value, s.keys) as number, 1e-300)));
    if (valueGap > 1e-9) {
      fail(`the value of ${entry.reverse} differs from the function's at ${describe(args)}: ${describe(rev.value)}, not ${describe(value)}`);
      break;
    }
    const grads = leaves.map((leaf) => {
      const g = get(rev.grad, [gradKeys[leaf.keys[0] as number]!, ...leaf.keys.slice(1)]);
      return typeof g === "number" ? g : 0;
    });
    if (!grads.every(Number.isFinite)) {
      // Not differentiable there (sqrt(0), a division by a zero distance): another point.
      firstNonfinite ??= `the gradient is ${describe(rev.grad)} at ${describe(args)}`;
      started = false;
      if (++nondifferentiable > 4 * flags.points) break;
      continue points;
    }

    // Reverse mode against finite differences of the source's function, one number at a time.
    const f0 = weighted(value, weights);
    leaves.forEach((leaf, k) => {
      if (report.failure !== undefined) return;
      if (leaf.inactive) {
        inactive++;
        if (grads[k] !== 0) fail(`d/d${leaf.doc} is ${grads[k]} at ${describe(args)}, but the doc comment calls ${leaf.doc} inactive`);
        return;
      }
      const x0 = get(args, leaf.keys) as number;
      const step = 1e-3 * Math.max(1, Math.abs(x0));
      const h = leaf.single ? 2 ** Math.round(Math.log2(step)) : step;
      const at = (x: number): number => {
        const copy = clone(args!);
        set(copy, leaf.keys, x);
        try {
          return weighted(run(copy), weights);
        } catch {
          return NaN;
        }
      };
      const difference = (h: number): { fd: number; values: number[] } => {
        const values = [at(x0 + 2 * h), at(x0 + h), at(x0 - h), at(x0 - 2 * h)];
        return { fd: (-values[0]! + 8 * values[1]! - 8 * values[2]! + values[3]!) / (12 * h), values };
      };
      const first = difference(h);
      if (!first.values.every(Number.isFinite)) {
        nonsmooth++;
        return;
      }
      if (first.values.every((y) => y === f0) && grads[k] !== 0) {
        unperturbed++; // integer-like: a small change changes nothing
        return;
      }
      const g = grads[k]!;
      const floor = 1e-6 * Math.max(1, Math.abs(f0));
      let error = Math.abs(g - first.fd) / Math.max(Math.abs(g), Math.abs(first.fd), floor);
      if (error > fdTolerance) {
        // A kink or a jump near the point shows as finite differences that change with the step.
        const second = difference(h / 4);
        const spread = Math.abs(first.fd - second.fd) / Math.max(Math.abs(first.fd), Math.abs(second.fd), floor);
        if (spread > fdTolerance / 4 || !second.values.every(Number.isFinite)) {
          nonsmooth++;
          return;
        }
        error = Math.min(error, Math.abs(g - second.fd) / Math.max(Math.abs(g), Math.abs(second.fd), floor));
      }
      report.fdError = Math.max(report.fdError ?? 0, error);
      if (error > (singles ? Math.max(fdTolerance, 1e-3) : fdTolerance)) {
        fail(`d/d${leafName(leaf, gradKeys)} at ${describe(args)}: reverse mode ${g}, finite differences ${first.fd}`);
      }
    });
    if (report.failure !== undefined) break;

    // Forward against reverse: <grad, v> == jvp(v) for a random direction v.
    if (forward) {
      const v = leaves.map((leaf) => (leaf.inactive ? 0 : leaf.single ? Math.fround(random() * 2 - 1) : random() * 2 - 1));
      const tangents: Record<string, unknown> = {};
      args.forEach((a, i) => {
        const mine = leaves.flatMap((leaf, k) => (leaf.keys[0] === i ? [k] : []));
        if (a === undefined || mine.length === 0) return;
        const t = [clone(a)];
        for (const k of mine) set(t, [0, ...leaves[k]!.keys.slice(1)], v[k]!);
        tangents[gradKeys[i]!] = t[0];
      });
      let jvp: { value: unknown; tangent: unknown };
      try {
        jvp = forward(...clone(padded), tangents) as typeof jvp;
      } catch (error) {
        fail(`${entry.forward} threw at ${describe(args)}: ${(error as Error).message}`);
        break;
      }
      const terms = grads.map((g, k) => g * v[k]!);
      const lhs = terms.reduce((s, t) => s + t, 0);
      const rhs = entry.vector ? valueSlots.reduce((s, slot, i) => s + ((get(jvp.tangent, slot.keys) as number | undefined) ?? 0) * weights![i]!, 0) : (jvp.tangent as number);
      const scale = Math.max(Math.abs(lhs), Math.abs(rhs), ...terms.map(Math.abs), 1e-300);
      const error = Number.isNaN(rhs) || Number.isNaN(lhs) ? Infinity : Math.abs(lhs - rhs) / scale;
      report.jvpError = Math.max(report.jvpError ?? 0, error);
      if (error > (singles ? Math.max(fdTolerance, 1e-5) : fdTolerance * 1e-2)) {
        fail(`forward and reverse mode disagree at ${describe(args)}: <grad, v> = ${lhs}, jvp(v) = ${rhs}`);
        break;
      }
    }
    report.points++;
    started = false;
  }
  if (report.failure !== undefined && started) report.points++;
  // Nowhere differentiable where the function is finite: no kink, a broken derivative.
  if (report.points === 0 && firstNonfinite !== undefined) fail(`${firstNonfinite}, and not finite at any other point where the function is`);
  if (nondifferentiable > 0) report.notes.push(`${nondifferentiable} point${nondifferentiable === 1 ? "" : "s"} with a non-finite gradient skipped`);
  if (inactive > 0) report.notes.push(`${inactive} inactive number${inactive === 1 ? "" : "s"} not perturbed`);
  if (nonsmooth > 0) report.notes.push(`${nonsmooth} nonsmooth or non-finite difference${nonsmooth === 1 ? "" : "s"} skipped`);
  if (unperturbed > 0) report.notes.push(`${unperturbed} integer-like number${unperturbed === 1 ? "" : "s"} (no change under perturbation) skipped`);
  return report;
}

function leafName(leaf: Leaf, gradKeys: string[]): string {
  return [gradKeys[leaf.keys[0] as number], ...leaf.keys.slice(1).map((k) => (typeof k === "number" ? `[${k}]` : `.${k}`))].join("").replace(/\.\[/g, "[");
}

function relative(a: number, b: number, floor: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

function formatError(e: number | undefined): string {
  return e === undefined ? "-" : e === 0 ? "0" : e.toExponential(1);
}

/** The reports as a table: function, points, max relative errors, status, notes. */
export function formatTable(reports: FunctionReport[]): string[] {
  const rows = [
    ["function", "points", "max rel err (fd)", "max rel err (fwd/rev)", "status"],
    ...reports.map((r) => [r.name, String(r.points), formatError(r.fdError), formatError(r.jvpError), r.failure !== undefined ? "MISMATCH" : r.points === 0 ? "unchecked" : "ok"]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const lines = rows.map((row, i) => {
    const notes = i === 0 ? "" : reports[i - 1]!.notes.join("; ");
    return [...row.map((cell, c) => (c === 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))), notes].join("  ").trimEnd();
  });
  return lines;
}

const gradFile = (file: string): string => file.replace(/\.(ts|m?js)$/, ".grad.ts");

export async function runCheck(args: string[], flags: CheckFlags, io: Io): Promise<number> {
  const display = (file: string): string => displayPath(io.cwd, file);
  const printDiagnostic = (d: Diagnostic): void => io.err(formatDiagnostic(d, display));
  const collected = collectInputs(args, io.cwd);
  for (const d of collected.errors) printDiagnostic(d);
  let errors = collected.errors.length;
  const inputs = collected.inputs.map((i) => ({ file: i.file, fromDirectory: i.root !== undefined }));

  const cache = createCompileCache();
  let functions = 0;
  let points = 0;
  let mismatches = 0;
  let unchecked = 0;
  const tmp = makeTemporaryDirectory();
  try {
    for (const input of inputs) {
      const result = compile({
        fileName: input.file,
        // Beside the source, where it is run from in the temporary directory's mirror.
        outFile: gradFile(input.file),
        mode: "both",
        functions: flags.fn.length > 0 ? flags.fn : undefined,
        cache,
        ...(flags.project !== undefined ? { project: path.resolve(io.cwd, flags.project) } : {}),
      });
      if (input.fromDirectory && result.diagnostics.some((d) => d.code === "TSG2001")) continue; // not a model file
      // Errors with their code frames; skipped exports (not checked) in one line each.
      for (const d of result.diagnostics) {
        if (d.severity === "error") printDiagnostic(d);
        else if (d.severity === "warning") printDiagnostic({ ...d, lineText: "" });
      }
      if (result.code === undefined || result.diagnostics.some((d) => d.severity === "error")) {
        io.err(`${display(input.file)}: not checked (errors above).`);
        errors++;
        continue;
      }
      let primalModule: Record<string, unknown>;
      let generated: Record<string, unknown>;
      try {
        // The generated module first: a source that imports its own `./model.grad` gets this one.
        const generatedFile = transpileTree(tmp, gradFile(input.file), result.code);
        const primalFile = transpileTree(tmp, input.file);
        primalModule = await importFile(primalFile);
        generated = await importFile(generatedFile);
      } catch (error) {
        io.err(`${display(input.file)}: cannot be run to check it: ${(error as Error).message}`);
        errors++;
        continue;
      }
      const module = new GeneratedModule(result.code);
      const reports: FunctionReport[] = [];
      for (const fn of result.functions) {
        const entry = module.entryPoints(fn);
        if (!entry) continue;
        reports.push(checkFunction(fn, entry, module, primalModule, generated, flags));
      }
      io.out(display(input.file));
      for (const line of formatTable(reports)) io.out(`  ${line}`);
      for (const r of reports) if (r.failure !== undefined) io.err(`${display(input.file)}: ${r.name}: ${r.failure}`);
      functions += reports.length;
      points += reports.reduce((s, r) => s + r.points, 0);
      mismatches += reports.filter((r) => r.failure !== undefined).length;
      unchecked += reports.filter((r) => r.failure === undefined && r.points === 0).length;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const parts = [`${plural(functions, "function")} at ${plural(points, "point")}`];
  if (mismatches > 0) parts.push(`${plural(mismatches, "mismatch")}`.replace("mismatchs", "mismatches"));
  if (unchecked > 0) parts.push(`${unchecked} unchecked (no finite point)`);
  if (errors > 0) parts.push(`${plural(errors, "file")} not checked`);
  const ok = mismatches === 0 && errors === 0;
  io.out(`tsgrad check: ${parts.join(", ")}${ok ? unchecked > 0 ? "; the rest agree." : "; all derivatives agree." : "."}`);
  return ok ? EXIT_OK : EXIT_DIAGNOSTICS;
}
