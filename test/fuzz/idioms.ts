/**
 * Idioms mode (`npm run fuzz -- --idioms`): exported functions written in the forms tsgrad
 * accepted most recently, each drawn from a template with random numeric expressions in it:
 *
 * - results carrying inactive data: `{ value: number; ok: boolean; side: "a" | "b" }` (a named
 *   type or inline, sometimes a `?:` between two object literals), tuples `[number, boolean]`
 *   and `[number, boolean, number]`, arrays of objects with a `fixed: boolean` field copied from
 *   the input element (`ps.map((p) => { if (p.fixed) return p; ...; return { ...p, ... }; })`,
 *   `p.fixed ? p : { ... }`, field by field with `fixed: p.fixed`), and numbers computed from such
 *   arrays skipping the fixed elements;
 * - `pop` on arrays grown by `push` (`const t = ys.pop()!;`, `s += ys.pop()! * c;`, `ys.pop();`,
 *   never more pops than pushes), the array then read, reduced or passed as a copy (`ys.slice()`);
 * - method chains `xs.map(f).reduce(g, init)`, `Math.max(...xs.map(Math.abs))`,
 *   `Math.min(...xs.map(Math.cos))`, `xs.map(Math.tanh)` (one-argument Math functions and helpers
 *   of the project by name), `xs.at(-1)!`, `xs.at(k)!` (k in -2..1: every array has >= 2 elements);
 * - exported functions writing into their array parameters: `f(out: number[], a, s): number[]`
 *   returning `out`, `void` ones writing exactly one array parameter (the checker's original
 *   returns that argument's final value), helpers writing into their `out` parameter called as
 *   statements, and array literals passed to helpers (`wsum(t, [x, 1, y])`);
 * - optional number parameters `(x, y, d?: number, e?: number)` read through `d ?? 1`,
 *   `d === undefined`, `d != null` and `typeof d === "number"`; check points leave trailing ones
 *   out now and then (EntryInfo params' `optional`);
 * - `const t = new Array(n)` without a type argument, filled with numbers and read by index
 *   (never a local initialised from one of its elements: TSG1030).
 * - local matrices created whole (`Array.from({ length: n }, () => new Array<number>(k).fill(0))`,
 *   `new Array(n).fill(0).map(...)`, a literal `[[a, b], [c, d]]`, rows assigned in a loop into
 *   `new Array<number[]>(n)` or pushed into `const m: number[][] = []`), elements written, `+=`,
 *   reduced to a number;
 * - arrays of objects (`path.push({ x, y })`) and tuples (`pts: [number, number][] = [[0, 0]]`,
 *   the last one destructured before each push) that grow, read by for...of, index and `.length`,
 *   or returned;
 * - `ps.slice(1)`, `ps.slice(1, -1)` of an array of objects held in a const, `ps.slice(1).map(...)`;
 * - an array of objects inside an object parameter (`w.bodies`: for...of, `w.bodies[i].pos.x`,
 *   `.length`, `reduce`, Euler steps writing it) whose elements have an optional flag
 *   `pinned?: boolean` (check points give it either value or leave it out: Shape fields'
 *   `optional` and `list`);
 * - a file-level immutable value class (`new V2(...)`, `a.add(b.scale(t)).len`) used by an
 *   exported function of numbers;
 * - `void` functions updating two object parameters (`collide(a, b, e)`; the checker compares
 *   `{ a, b }`, EntryInfo's `voidResult` listing both);
 * - `do { ... } while (k < 3 && f(z) > c)` with `f` a local arrow helper;
 * - functions with declared derivatives (`h`, `h_vjp`, `h_jvp`; sometimes a black box with a
 *   `try`; `sumsq(v: number[], s)` over an array) called from an exported function in a loop.
 *
 * The units are text (ast.ts RawUnit) with the entries the checker needs; the reducer removes
 * whole units. Every draw here is made from a generator of its own (seeded from the program's
 * seed), so that the rest of the program is the --methods program of that seed: no other mode's
 * programs change.
 */
import { rng } from "../helpers/gradcheck.js";
import type { EntryInfo, RawUnit, Shape } from "./ast.js";

const NUM: Shape = { k: "num" };

class Draw {
  constructor(
    readonly r: () => number,
    readonly avoid: readonly string[],
  ) {}
  /** Whether a workaround of IDIOM_GAPS (known-bugs.ts) is on. */
  steer(id: string): boolean {
    return this.avoid.includes(id);
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)]!;
  }
  /** `n` distinct items in random order. */
  some<T>(items: readonly T[], n: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < n && pool.length > 0) out.push(pool.splice(Math.floor(this.r() * pool.length), 1)[0]!);
    return out;
  }

  /** A smooth expression of `vars` (each at most about 2 in magnitude); its magnitude stays moderate. */
  expr(vars: string[], depth = 2): string {
    if (depth === 0 || this.chance(0.25)) return this.chance(0.8) && vars.length > 0 ? this.pick(vars) : this.pick(["0.5", "1.5", "2", "0.25", "3"]);
    const a = (): string => this.expr(vars, depth - 1);
    return this.pick<() => string>([
      () => `${a()} + ${a()}`,
      () => `${a()} - ${a()}`,
      () => `(${a()}) * (${a()})`,
      () => `0.5 * (${a()})`,
      () => `Math.sin(${a()})`,
      () => `Math.cos(${a()})`,
      () => `Math.tanh(${a()})`,
      () => `Math.exp(0.25 * Math.tanh(${a()}))`,
      () => `Math.atan(${a()})`,
      () => `Math.sqrt(1 + (${a()}) ** 2)`,
      () => `Math.log(1 + (${a()}) ** 2)`,
    ])();
  }

  /** A comparison of two expressions of `vars`. */
  cmp(vars: string[]): string {
    return `${this.expr(vars, 1)} ${this.pick(["<", "<=", ">", ">="])} ${this.expr(vars, 1)}`;
  }
}

type Template = (d: Draw, id: string) => RawUnit;

const num = (name: string, optional = false): EntryInfo["params"][number] => ({ name, kind: "num", ...(optional ? { optional: true } : {}) });

// ---------------------------------------------------------------- 1. results with booleans and string literal unions

const objectResult: Template = (d, id) => {
  const name = `outcome${id}`;
  const vars = ["x", "y"];
  const named = d.chance(0.5);
  const extra = d.chance(0.4);
  const typeText = `{ value: number; ok: boolean; side: "a" | "b"${extra ? "; scale: number" : ""} }`;
  const lines: string[] = [];
  if (named) lines.push(d.chance(0.5) ? `type Outcome${id} = ${typeText};` : `interface Outcome${id} ${typeText}`, "");
  lines.push(`export function ${name}(x: number, y: number): ${named ? `Outcome${id}` : typeText} {`);
  lines.push(`  const v = ${d.expr(vars)};`);
  lines.push(`  const ok = ${d.cmp(["x", "y", "v"])};`);
  const scale = extra ? `, scale: ${d.expr(["x", "v"])}` : "";
  let style = d.int(0, 3);
  if (style === 2 && d.steer("cond-struct-string")) style = 3;
  if (style === 0) {
    lines.push(`  const side${d.chance(0.5) ? ': "a" | "b"' : ""} = ${d.cmp(["x", "y"])} ? "a" : "b";`);
    lines.push(`  return { value: ok ? v : ${d.expr(["x", "v"], 1)}, ok, side${scale} };`);
  } else if (style === 1) {
    lines.push(`  return { side: ${d.cmp(["x", "y", "v"])} ? "a" : "b"${scale}, ok, value: ${d.expr(["v", "y"])} };`);
  } else if (style === 2) {
    lines.push(`  return ok ? { value: v, ok, side: "a"${scale} } : { value: ${d.expr(["v", "x"])}, ok: false, side: "b"${scale} };`);
  } else {
    lines.push(`  if (!ok) return { value: ${d.expr(["v", "x"])}, ok: false, side: "b"${scale} };`, `  return { value: v, ok${scale}, side: "a" };`);
  }
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [num("x"), num("y")], assigned: [], vector: true }] };
};

const tupleResult: Template = (d, id) => {
  const name = `pair${id}`;
  const three = d.chance(0.3);
  const lines = [`export function ${name}(x: number, y: number): [number, boolean${three ? ", number" : ""}] {`];
  lines.push(`  const v = ${d.expr(["x", "y"])};`);
  if (d.chance(0.5)) {
    lines.push(`  const hit = ${d.cmp(["x", "y", "v"])};`);
    lines.push(`  return [hit ? v : ${d.expr(["v", "y"], 1)}, hit${three ? `, ${d.expr(["x", "v"])}` : ""}];`);
  } else {
    lines.push(`  return [${d.expr(["v", "x"])}, ${d.cmp(["x", "y", "v"])}${three ? `, ${d.expr(["y", "v"])}` : ""}];`);
  }
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [num("x"), num("y")], assigned: [], vector: true }] };
};

const rowsFixed: Template = (d, id) => {
  const type = `Node${id}`;
  const shape: Shape = { k: "obj", name: type, fields: [{ name: "x", shape: NUM }, { name: "v", shape: NUM }, { name: "fixed", shape: { k: "bool" } }] };
  const lines = [`interface ${type} {`, "  x: number;", "  v: number;", "  fixed: boolean;", "}", ""];
  const entries: EntryInfo[] = [];
  const vector = d.chance(0.6);
  const name = vector ? `step${id}` : `energy${id}`;
  const acc = d.expr(["p.x", "p.v", "dt"]);
  const mapped = (indent: string): string[] => {
    const style = d.int(0, 2);
    if (style === 0) {
      return [
        `${indent}ps.map((p) => {`,
        `${indent}  if (p.fixed) return p;`,
        `${indent}  const a = ${acc};`,
        `${indent}  return { ...p, ${d.chance(0.5) ? "v: p.v + dt * a, x: p.x + dt * p.v" : "x: p.x + dt * p.v, v: p.v + dt * a"} };`,
        `${indent}})`,
      ];
    }
    if (style === 1 && !d.steer("cond-element-copy")) return [`${indent}ps.map((p) => (p.fixed ? p : { ...p, x: p.x + dt * (${acc}) }))`];
    if (style === 1) return [`${indent}ps.map((p) => ({ ...p, x: p.fixed ? p.x : p.x + dt * (${acc}) }))`];
    return [`${indent}ps.map((p) => ({ x: p.fixed ? p.x : p.x + dt * p.v, v: p.fixed ? p.v : ${acc}, fixed: p.fixed }))`];
  };
  lines.push(`export function ${name}(ps: ${type}[], dt: number): ${vector ? `${type}[]` : "number"} {`);
  const m = mapped("");
  if (vector && d.chance(0.5)) {
    m[0] = `  return ${m[0]}`;
    for (let i = 1; i < m.length; i++) m[i] = `  ${m[i]}`;
    m[m.length - 1] += ";";
    lines.push(...m);
  } else {
    m[0] = `  const qs = ${m[0]}`;
    for (let i = 1; i < m.length; i++) m[i] = `  ${m[i]}`;
    m[m.length - 1] += ";";
    lines.push(...m);
    if (vector) lines.push("  return qs;");
    else if (d.chance(0.5)) lines.push(`  return qs.reduce((s, q) => s + (q.fixed ? ${d.expr(["q.x"], 1)} : ${d.expr(["q.x", "q.v"])}), 0);`);
    else {
      lines.push("  let s = 0;", "  for (const q of qs) {", "    if (q.fixed) continue;", `    s += ${d.expr(["q.x", "q.v", "dt"])};`, "  }", "  return s;");
    }
  }
  lines.push("}");
  entries.push({ name, params: [{ name: "ps", kind: "rows", shape }, num("dt")], assigned: [], vector });
  return { code: lines.join("\n"), entries };
};

// ---------------------------------------------------------------- 2. pop on arrays that grow

const popStack: Template = (d, id) => {
  const name = `stack${id}`;
  const helper = `sumsq${id}`;
  const lines = [`function ${helper}(a: number[]): number {`, "  let s = 0;", "  for (const v of a) s += v * v;", "  return s;", "}", ""];
  lines.push(`export function ${name}(xs: number[], c: number): number {`);
  lines.push("  const ys: number[] = [];");
  let pushed = 0;
  const first = d.int(0, 2);
  if (first > 0) {
    lines.push(`  ys.push(${Array.from({ length: first }, () => d.expr(["c"], 1)).join(", ")});`);
    pushed += first;
  }
  lines.push(d.chance(0.5) ? `  for (const x of xs) ys.push(${d.expr(["x", "c"])});` : `  xs.forEach((x) => {\n    ys.push(${d.expr(["x", "c"])});\n  });`);
  pushed += 2; // every array argument has at least 2 elements
  lines.push("  let s = 0;");
  let popped = 0;
  const nPops = d.int(1, pushed);
  for (let k = 0; k < nPops; k++) {
    const form = d.int(0, 3);
    if (form === 0) lines.push(`  const t${k} = ys.pop()!;`, `  s += ${d.expr([`t${k}`, "c"], 1)};`);
    else if (form === 1) lines.push(`  s += ys.pop()! * ${d.expr(["c", "s"], 1)};`);
    else if (form === 2) lines.push("  ys.pop();");
    else {
      // A pop in a branch: the array then holds one element less or not, as the primal decides.
      lines.push(`  if (${d.cmp(["c", "s"])}) {`, `    s -= ys.pop()!;`, "  }");
    }
    popped++;
    if (d.chance(0.2)) {
      lines.push(`  ys.push(${d.expr(["s", "c"], 1)});`);
      pushed++;
    }
  }
  void popped;
  const tail = d.int(0, 3);
  if (tail === 0 && d.steer("slice-argument")) lines.push("  const rest = ys.slice();", `  return s + ${helper}(rest) * 0.25;`);
  else if (tail === 0) lines.push(`  return s + ${helper}(ys.slice()) * 0.25;`);
  else if (tail === 1) lines.push(`  return s + ys.reduce((a, b) => a + ${d.expr(["b", "c"], 1)}, 0);`);
  else if (tail === 2) lines.push("  for (const y of ys) s += 0.5 * y;", "  return s + ys.length * c;");
  else lines.push(`  return ys.length > 0 ? s + ys[0] * c : s;`);
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [{ name: "xs", kind: "vec" }, num("c")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 3. method chains, Math functions by name, at

const MATH1 = ["sin", "cos", "tanh", "atan", "asinh", "sinh", "exp", "expm1", "abs"];

const chains: Template = (d, id) => {
  const name = `chain${id}`;
  const lines: string[] = [];
  const useHelper = d.chance(0.4);
  const helper = `sq${id}`;
  if (useHelper) lines.push(`function ${helper}(v: number): number {`, `  return ${d.expr(["v"])};`, "}", "");
  const vectorResult = d.chance(0.3);
  const xsType = vectorResult ? d.pick(["number[]", "readonly number[]"]) : d.pick(["number[]", "readonly number[]", "Float64Array"]);
  const xs: EntryInfo["params"][number] = { name: "xs", kind: xsType === "number[]" ? "vec" : xsType === "Float64Array" ? "f64" : "roVec" };
  lines.push(`export function ${name}(xs: ${xsType}, w: number): ${vectorResult ? "number[]" : "number"} {`);
  if (vectorResult) {
    const form = d.int(0, 1);
    if (form === 0) lines.push(`  return xs.map(${useHelper ? helper : `Math.${d.pick(MATH1)}`});`);
    else lines.push(`  const ys = xs.map(Math.${d.pick(MATH1)});`, `  return ys.map((y) => ${d.expr(["y", "w"])});`);
    lines.push("}");
    return { code: lines.join("\n"), entries: [{ name, params: [xs, num("w")], assigned: [], vector: true }] };
  }
  const parts: string[] = [];
  const forms: (() => void)[] = [
    () => {
      const f = d.chance(0.5) ? `(x) => ${d.expr(["x", "w"])}` : d.chance(0.5) && useHelper ? helper : `Math.${d.pick(MATH1)}`;
      const g = d.chance(0.5) ? `(s, y) => s + ${d.expr(["y", "w"], 1)}` : `(s, y, i) => s + (i + 1) * ${d.expr(["y"], 1)}`;
      lines.push(`  const a = xs.map(${f}).reduce(${g}, ${d.pick(["0", "w", "1"])});`);
      parts.push("a");
    },
    () => {
      lines.push(`  const m = Math.max(...xs.map(Math.abs));`);
      parts.push(`m * ${d.expr(["w"], 1)}`);
    },
    () => {
      lines.push(`  const lo = Math.min(${d.chance(0.5) ? "w, " : ""}...xs.map(Math.${d.pick(["cos", "tanh", "sin"])}));`);
      parts.push("lo");
    },
    () => {
      lines.push(`  const th = xs.map(Math.${d.pick(MATH1)});`);
      parts.push(d.chance(0.5) ? "th.at(-1)!" : `th[0] * ${d.expr(["w"], 1)}`);
    },
    () => {
      const k = d.pick([-2, -1, 0, 1]);
      lines.push(`  const last = xs.at(${k})!;`);
      parts.push(`${d.expr(["last", "w"])}`);
    },
    () => {
      parts.push(`xs.at(-1)! * xs.at(${d.pick([0, 1, -2])})!`);
    },
    () => {
      lines.push(`  const r = xs.map(Math.${d.pick(["sin", "cos", "atan"])}).reduce((s, y) => s + y * y, 0);`);
      parts.push("r");
    },
  ];
  for (const f of d.some(forms, d.int(2, 4))) f();
  lines.push(`  return ${parts.join(" + ")};`, "}");
  return { code: lines.join("\n"), entries: [{ name, params: [xs, num("w")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 4. exported functions writing into array parameters

const outParams: Template = (d, id) => {
  const form = d.int(0, 3);
  const vars = (i: string) => [`a[${i}]`, "s"];
  if (form === 0) {
    // gl-matrix style: out written and returned.
    const name = `into${id}`;
    const outType = d.pick(["number[]", "Float64Array"]);
    const lines = [`export function ${name}(out: ${outType}, a: number[], s: number): ${outType} {`];
    lines.push(`  out[0] = ${d.expr(vars("0"))};`);
    lines.push(`  out[1] ${d.pick(["=", "+=", "*="])} ${d.expr([...vars("1"), "out[0]"])};`);
    if (d.chance(0.4)) lines.push(`  out[0] = out[0] * ${d.expr(["s"], 1)};`);
    lines.push("  return out;", "}");
    return { code: lines.join("\n"), entries: [{ name, params: [{ name: "out", kind: outType === "Float64Array" ? "f64" : "vec" }, { name: "a", kind: "vec" }, num("s")], assigned: [], vector: true }] };
  }
  if (form === 1) {
    // void: the written parameter is the result.
    const name = `apply${id}`;
    const first = d.chance(0.7);
    const params = first ? "out: number[], a: readonly number[], s: number" : "s: number, a: readonly number[], out: number[]";
    const lines = [`export function ${name}(${params}): void {`];
    if (d.chance(0.5)) {
      lines.push("  const n = Math.min(out.length, a.length);", "  for (let i = 0; i < n; i++) {", `    out[i] = ${d.expr(["a[i]", "s", "out[i]"])};`, "  }");
    } else {
      lines.push(`  out[0] += ${d.expr(["a[1]", "s"])};`, `  out[1] = ${d.expr(["out[0]", "a[0]", "s"])};`);
      if (d.chance(0.5)) lines.push(`  if (${d.cmp(["s", "a[0]"])}) return;`, `  out[0] *= ${d.expr(["s"], 1)};`);
    }
    lines.push("}");
    const ps: EntryInfo["params"] = first ? [{ name: "out", kind: "vec" }, { name: "a", kind: "roVec" }, num("s")] : [num("s"), { name: "a", kind: "roVec" }, { name: "out", kind: "vec" }];
    return { code: lines.join("\n"), entries: [{ name, params: ps, assigned: [], vector: true, voidResult: first ? 0 : 2 }] };
  }
  if (form === 2) {
    // An array literal passed to a helper.
    const name = `lit${id}`;
    const helper = `wsum${id}`;
    const lines = [
      `function ${helper}(a: number[], w: number[]): number {`,
      "  let s = 0;",
      "  for (let i = 0; i < w.length; i++) s += w[i] * a[i % a.length];",
      "  return s;",
      "}",
      "",
      `export function ${name}(t: number[], x: number, y: number): number {`,
      `  return ${helper}(t, [x, 1, ${d.expr(["y", "x"])}]) + ${helper}([${d.expr(["x"], 1)}, y], t);`,
      "}",
    ];
    return { code: lines.join("\n"), entries: [{ name, params: [{ name: "t", kind: "vec" }, num("x"), num("y")], assigned: [], vector: false }] };
  }
  // A helper writing into its out parameter (called as a statement), with array literals.
  const name = `torque${id}`;
  const helper = `cross${id}`;
  const voidHelper = d.chance(0.5);
  const lines = [
    `function ${helper}(out: number[], a: number[], b: number[]): ${voidHelper ? "void" : "number[]"} {`,
    "  out[0] = a[1] * b[2] - a[2] * b[1];",
    "  out[1] = a[2] * b[0] - a[0] * b[2];",
    "  out[2] = a[0] * b[1] - a[1] * b[0];",
    ...(voidHelper ? [] : ["  return out;"]),
    "}",
    "",
    `export function ${name}(x: number, y: number, z: number): number {`,
    `  const t = ${d.pick(["[0, 0, 0]", "new Array<number>(3).fill(0)"])};`,
    `  ${helper}(t, [x, y, 1], [${d.expr(["z", "x"], 1)}, z, ${d.expr(["y"], 1)}]);`,
    `  return t[0] * t[1] + ${d.expr(["t[2]", "x"])};`,
    "}",
  ];
  return { code: lines.join("\n"), entries: [{ name, params: [num("x"), num("y"), num("z")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 5. optional number parameters

const optional: Template = (d, id) => {
  const name = `opt${id}`;
  const two = d.chance(0.35);
  const lines = [`export function ${name}(x: number, y: number, d?: number${two ? ", e?: number" : ""}): number {`];
  const read = (p: string, indent: string, into: string): void => {
    const form = d.int(0, 3);
    if (form === 0) lines.push(`${indent}const k${p} = ${p} ?? ${d.pick(["1", "0.5", "x", "2"])};`, `${indent}${into} += ${d.expr([`k${p}`, "x", "y"])};`);
    else if (form === 1) lines.push(`${indent}if (${p} === undefined) {`, `${indent}  ${into} += ${d.expr(["x", "y"], 1)};`, `${indent}} else {`, `${indent}  ${into} += ${d.expr([p, "x"])};`, `${indent}}`);
    else if (form === 2) lines.push(`${indent}if (${p} != null) ${into} += ${d.expr([p, "y"])};`);
    else lines.push(`${indent}${into} += typeof ${p} === "number" ? ${d.expr([p, "x"])} : ${d.expr(["y"], 1)};`);
  };
  if (d.chance(0.3)) {
    lines.push(`  if (d === undefined) return ${d.expr(["x", "y"])};`);
    lines.push(`  let s = ${d.expr(["d", "x", "y"])};`);
  } else {
    lines.push(`  let s = ${d.expr(["x", "y"])};`);
    read("d", "  ", "s");
  }
  if (two) read("e", "  ", "s");
  lines.push("  return s;", "}");
  const params = [num("x"), num("y"), num("d", true), ...(two ? [num("e", true)] : [])];
  return { code: lines.join("\n"), entries: [{ name, params, assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 6. new Array(n) without a type argument

const untypedArray: Template = (d, id) => {
  const name = `buf${id}`;
  const lines: string[] = [];
  if (d.chance(0.5)) {
    lines.push(`export function ${name}(xs: number[], c: number): number {`);
    lines.push(`  const t = new Array(xs.length);`);
    lines.push(`  for (let i = 0; i < xs.length; i++) t[i] = ${d.expr(["xs[i]", "c"])};`);
    lines.push("  let s = 0;");
    lines.push(`  for (let i = 0; i < ${d.steer("untyped-array-length") ? "xs" : "t"}.length; i++) s += t[i] * ${d.expr(["t[i]", "c"], 1)};`);
    lines.push(`  return s + t[${d.pick([0, 1])}] * c;`, "}");
    return { code: lines.join("\n"), entries: [{ name, params: [{ name: "xs", kind: "vec" }, num("c")], assigned: [], vector: false }] };
  }
  lines.push(`export function ${name}(x: number, y: number): number {`);
  lines.push("  const t = new Array(3);");
  lines.push(`  t[0] = ${d.expr(["x", "y"])};`, `  t[1] = ${d.expr(["x", "t[0]"])};`, `  t[2] = t[0] * ${d.expr(["y"], 1)};`);
  if (d.chance(0.5)) lines.push(`  t[1] += ${d.expr(["t[2]", "x"], 1)};`);
  lines.push(`  return t[0] * t[1] + t[2];`, "}");
  return { code: lines.join("\n"), entries: [{ name, params: [num("x"), num("y")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 7. local matrices created whole

const localMatrix: Template = (d, id) => {
  const name = `grid${id}`;
  const form = d.int(0, 4);
  if (form === 4) {
    // A literal matrix of expressions, read by element.
    const lines = [`export function ${name}(x: number, y: number): number {`];
    lines.push(`  const m = [`, `    [${d.expr(["x", "y"])}, ${d.expr(["x"], 1)}],`, `    [${d.expr(["y"], 1)}, ${d.expr(["x", "y"])}],`, "  ];");
    if (d.chance(0.5)) lines.push(`  m[${d.int(0, 1)}][${d.int(0, 1)}] += ${d.expr(["x", "y"], 1)};`);
    lines.push(`  return m[0][0] * m[1][1] - m[0][1] * m[1][0]${d.chance(0.5) ? ` + ${d.expr(["m[1][0]", "y"], 1)}` : ""};`, "}");
    return { code: lines.join("\n"), entries: [{ name, params: [num("x"), num("y")], assigned: [], vector: false }] };
  }
  const k = d.int(2, 3);
  const lines = [`export function ${name}(xs: number[], c: number): number {`, "  const n = xs.length;"];
  const fill = (indent: string): string[] => [`${indent}for (let j = 0; j < ${k}; j++) m[i][j] = ${d.expr(["xs[i]", "c", "j"])};`];
  if (form === 0) lines.push(`  const m = Array.from({ length: n }, () => new Array<number>(${k}).fill(0));`);
  else if (form === 1) lines.push(`  const m = new Array(n).fill(0).map(() => new Array<number>(${k}).fill(0));`);
  if (form <= 1) lines.push("  for (let i = 0; i < n; i++) {", ...fill("    "), "  }");
  else if (form === 2) lines.push("  const m = new Array<number[]>(n);", "  for (let i = 0; i < n; i++) {", `    m[i] = new Array<number>(${k}).fill(0);`, ...fill("    "), "  }");
  else lines.push("  const m: number[][] = [];", `  for (let i = 0; i < n; i++) m.push(new Array<number>(${k}).fill(0));`, "  for (let i = 0; i < n; i++) {", ...fill("    "), "  }");
  if (d.chance(0.5)) lines.push("  for (let i = 1; i < n; i++) {", `    for (let j = 0; j < ${k}; j++) m[i][j] += ${d.expr(["m[i - 1][j]", "c"], 1)};`, "  }");
  if (d.chance(0.5)) lines.push(`  m[0][${k - 1}] += ${d.expr(["m[n - 1][0]", "c"], 1)};`);
  const reduce = d.int(0, 2);
  if (reduce === 0) lines.push("  let s = 0;", `  for (let i = 0; i < n; i++) for (let j = 0; j < ${k}; j++) s += m[i][j] * ${d.expr(["m[i][j]", "c"], 1)};`, "  return s;");
  else if (reduce === 1) lines.push(`  return m.reduce((acc, row) => acc + ${d.expr(["row[0]", `row[${k - 1}]`], 1)}, 0);`);
  else lines.push("  let s = 0;", `  for (const row of m) s += row[1] * ${d.expr(["row[0]", "c"], 1)};`, "  return s;");
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [{ name: "xs", kind: "vec" }, num("c")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 8. arrays of objects and tuples grown by push

const growingRows: Template = (d, id) => {
  const name = `trace${id}`;
  const vector = d.chance(0.35);
  if (d.chance(0.5)) {
    const type = `Pt${id}`;
    const lines = [`type ${type} = { x: number; y: number };`, ""];
    lines.push(`export function ${name}(xs: number[], h: number): ${vector ? `${type}[]` : "number"} {`, `  const path: ${type}[] = [];`);
    if (d.chance(0.5)) lines.push(`  for (const v of xs) path.push({ x: ${d.expr(["v", "h"])}, y: ${d.expr(["v", "h"])} });`);
    else {
      lines.push("  let px = h;", "  let py = 0;", "  for (let i = 0; i < xs.length; i++) {", `    px += ${d.expr(["xs[i]", "py"], 1)};`, `    py = ${d.expr(["px", "xs[i]"])};`, "    path.push({ x: px, y: py });", "  }");
    }
    if (vector) lines.push("  return path;");
    else {
      const read = d.int(0, 2);
      if (read === 0) lines.push("  let s = 0;", `  for (const p of path) s += ${d.expr(["p.x", "p.y"])};`, "  return s;");
      else if (read === 1) lines.push(`  const last = path[path.length - 1];`, `  return last.x * ${d.expr(["last.y", "h"], 1)} + path[0].y;`);
      else lines.push("  let s = 0;", "  for (let i = 1; i < path.length; i++) s += Math.hypot(path[i].x - path[i - 1].x, path[i].y - path[i - 1].y);", "  return s / path.length;");
    }
    lines.push("}");
    return { code: lines.join("\n"), entries: [{ name, params: [{ name: "xs", kind: "vec" }, num("h")], assigned: [], vector }] };
  }
  const lines = [`export function ${name}(xs: number[], h: number): ${vector ? "[number, number][]" : "number"} {`, "  const pts: [number, number][] = [[0, 0]];"];
  lines.push("  for (const v of xs) {", "    const [px, py] = pts[pts.length - 1];", `    pts.push([px + ${d.expr(["v", "h", "py"], 1)}, py + ${d.expr(["v", "px"], 1)}]);`, "  }");
  if (vector) lines.push("  return pts;");
  else if (d.chance(0.5)) lines.push("  let s = 0;", `  for (const p of pts) s += ${d.expr(["p[0]", "p[1]"])};`, "  return s;");
  else lines.push(`  return pts[pts.length - 1][0] * ${d.expr(["h"], 1)} + pts.length * pts[1][1];`);
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [{ name: "xs", kind: "vec" }, num("h")], assigned: [], vector }] };
};

// ---------------------------------------------------------------- 9. slice of an array of objects

const sliceRows: Template = (d, id) => {
  const type = `Q${id}`;
  const shape: Shape = { k: "obj", name: type, fields: [{ name: "x", shape: NUM }, { name: "y", shape: NUM }] };
  const name = `tail${id}`;
  const form = d.int(0, 2);
  const vector = form === 2 && d.chance(0.5);
  const lines = [`interface ${type} {`, "  x: number;", "  y: number;", "}", "", `export function ${name}(ps: ${type}[], w: number): ${vector ? "number[]" : "number"} {`];
  if (form === 0 || form === 1) {
    lines.push(`  const rest = ps.slice(${form === 0 ? "1" : "1, -1"});`, "  let s = 0;", `  for (const q of rest) s += ${d.expr(["q.x", "q.y", "w"])};`);
    lines.push(`  return s + rest.length * ${d.expr(["w"], 1)};`);
  } else {
    const mapped = `ps.slice(1).map((q, i) => ${d.expr(["q.x", "q.y", "ps[i].x", "w"])})`;
    if (vector) lines.push(`  return ${mapped};`);
    else lines.push(`  return ${mapped}.reduce((a, b) => a + b, 0);`);
  }
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [{ name: "ps", kind: "rows", shape }, num("w")], assigned: [], vector }] };
};

// ---------------------------------------------------------------- 10. an array of objects inside an object parameter

const worldBodies: Template = (d, id) => {
  const body = `Body${id}`;
  const world = `World${id}`;
  const vec: Shape = { k: "obj", fields: [{ name: "x", shape: NUM }, { name: "y", shape: NUM }] };
  const bodyShape: Shape = { k: "obj", name: body, fields: [{ name: "pos", shape: vec }, { name: "vel", shape: vec }, { name: "mass", shape: NUM }, { name: "pinned", shape: { k: "bool" }, optional: true }] };
  const shape: Shape = { k: "obj", name: world, fields: [{ name: "bodies", shape: bodyShape, list: true }, { name: "g", shape: NUM }] };
  const lines = [
    `interface ${body} {`,
    "  pos: { x: number; y: number };",
    "  vel: { x: number; y: number };",
    "  mass: number;",
    "  pinned?: boolean;",
    "}",
    `interface ${world} {`,
    `  bodies: ${body}[];`,
    "  g: number;",
    "}",
    "",
  ];
  const name = `world${id}`;
  lines.push(`export function ${name}(w: ${world}, dt: number): number {`);
  const form = d.int(0, 2);
  if (form === 0) {
    lines.push("  let e = 0;", "  for (const b of w.bodies) {");
    if (d.chance(0.6)) lines.push("    if (b.pinned) continue;");
    lines.push(`    e += ${d.expr(["b.mass", "b.vel.x", "b.vel.y", "b.pos.y", "w.g"])};`, "  }", "  return e;");
  } else if (form === 1) {
    lines.push("  let s = 0;", "  for (let i = 0; i < w.bodies.length; i++) {", `    s += ${d.expr(["w.bodies[i].pos.x", "w.bodies[i].mass", "dt"])};`);
    if (d.chance(0.5)) lines.push(`    if (i > 0) s += ${d.expr(["w.bodies[i].pos.y", "w.bodies[i - 1].pos.x"], 1)};`);
    lines.push("  }", `  return s + w.bodies.reduce((m, b) => m + ${d.expr(["b.mass", "b.pos.x"], 1)}, 0) / w.bodies.length;`);
  } else {
    lines.push(`  for (let s = 0; s < 2; s++) {`, "    for (const b of w.bodies) {", "      if (b.pinned) continue;", `      b.vel.y -= ${d.expr(["w.g", "b.pos.y"], 1)} * dt;`, "      b.pos.x += b.vel.x * dt;", "      b.pos.y += b.vel.y * dt;", "    }", "  }");
    lines.push(`  return w.bodies.reduce((h, b) => h + ${d.expr(["b.mass", "b.pos.y", "b.pos.x"])}, 0);`);
  }
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [{ name: "w", kind: "struct", shape }, num("dt")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 11. immutable value classes

const valueClass: Template = (d, id) => {
  const cls = `V2${id}`;
  const lines = [
    `class ${cls} {`,
    "  constructor(",
    "    public x = 0,",
    "    public y = 0,",
    "  ) {}",
    "",
    `  add(o: ${cls}): ${cls} {`,
    `    return new ${cls}(this.x + o.x, this.y + o.y);`,
    "  }",
    "",
    `  scale(s: number): ${cls} {`,
    `    return new ${cls}(this.x * s, this.y * s);`,
    "  }",
    "",
    `  dot(o: ${cls}): number {`,
    "    return this.x * o.x + this.y * o.y;",
    "  }",
    "",
    "  get len(): number {",
    "    return Math.sqrt(1 + this.x * this.x + this.y * this.y);",
    "  }",
    "}",
    "",
  ];
  const name = `vec${id}`;
  lines.push(`export function ${name}(x: number, y: number, t: number): number {`);
  lines.push(`  const a = new ${cls}(x, ${d.expr(["y", "t"], 1)});`);
  lines.push(`  const b = new ${cls}(${d.expr(["x", "t"])}, y);`);
  const form = d.int(0, 2);
  if (form === 0) lines.push(`  return a.add(b.scale(t)).len${d.chance(0.5) ? ` + ${d.expr(["x"], 1)}` : ""};`);
  else if (form === 1) lines.push(`  const c = a.add(b).scale(${d.expr(["t"], 1)});`, `  return c.dot(a) + new ${cls}(t).len;`);
  else lines.push(`  let p = new ${cls}();`, "  for (let i = 0; i < 3; i++) p = p.add(a.scale(t)).scale(0.5);", `  return p.len * ${d.expr(["b.x", "b.y"], 1)};`);
  lines.push("}");
  return { code: lines.join("\n"), entries: [{ name, params: [num("x"), num("y"), num("t")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 12. void functions updating two objects

const collideTwo: Template = (d, id) => {
  const type = `Ball${id}`;
  const ball: Shape = { k: "obj", name: type, fields: [{ name: "x", shape: NUM }, { name: "v", shape: NUM }, { name: "m", shape: NUM }] };
  const name = `collide${id}`;
  const lines = [`interface ${type} {`, "  x: number;", "  v: number;", "  m: number;", "}", "", `export function ${name}(a: ${type}, b: ${type}, e: number): void {`];
  lines.push(`  const closing = ${d.expr(["b.v - a.v", "b.x - a.x"])};`);
  if (d.chance(0.5)) lines.push(`  if (${d.cmp(["closing", "e"])}) return;`);
  lines.push(`  const j = (1 + e) * closing * ${d.expr(["a.m", "b.m"], 1)};`);
  lines.push("  a.v += j;", `  b.v -= j * ${d.expr(["b.m"], 1)};`);
  if (d.chance(0.5)) lines.push(`  a.x += ${d.expr(["a.v", "e"], 1)};`);
  lines.push("}");
  const params: EntryInfo["params"] = [{ name: "a", kind: "struct", shape: ball }, { name: "b", kind: "struct", shape: ball }, num("e")];
  return { code: lines.join("\n"), entries: [{ name, params, assigned: [], vector: true, voidResult: [0, 1] }] };
};

// ---------------------------------------------------------------- 13. do...while on a local helper

const doWhileHelper: Template = (d, id) => {
  const name = `settle${id}`;
  const lines = [`export function ${name}(x: number, c: number): number {`];
  lines.push(`  const f = (u: number): number => ${d.expr(["u", "c"])};`, "  let z = x;", "  let k = 0;", "  do {");
  lines.push(`    z = ${d.expr(["z", "c"])} - 0.25 * f(z);`, "    k++;", `  } while (k < 3 && f(z) > ${d.pick(["0.1", "0", "-0.5"])});`);
  lines.push(`  return z * ${d.expr(["c", "x"], 1)} + k;`, "}");
  return { code: lines.join("\n"), entries: [{ name, params: [num("x"), num("c")], assigned: [], vector: false }] };
};

// ---------------------------------------------------------------- 14. derivatives declared by the user

/** Helpers of (u, c) with their partial derivatives written out: the declared derivatives. */
const DECLARED: { f: string; du: string; dc: string }[] = [
  { f: "Math.sin(u) * c + u * u", du: "Math.cos(u) * c + 2 * u", dc: "Math.sin(u)" },
  { f: "Math.exp(-u * u) * c", du: "-2 * u * Math.exp(-u * u) * c", dc: "Math.exp(-u * u)" },
  { f: "Math.log1p(u * u) + c * u", du: "(2 * u) / (1 + u * u) + c", dc: "u" },
  { f: "Math.tanh(c * u)", du: "c * (1 - Math.tanh(c * u) ** 2)", dc: "u * (1 - Math.tanh(c * u) ** 2)" },
];

const declaredDerivative: Template = (d, id) => {
  const h = `h${id}`;
  const sq = `sumsq${id}`;
  const { f, du, dc } = d.pick(DECLARED);
  const blackBox = d.chance(0.5);
  const lines = [
    `export function ${h}(u: number, c: number): number {`,
    // (A body tsgrad could not differentiate: the declared derivatives are what it uses.)
    ...(blackBox ? ["  let out = 0;", "  try {", `    out = ${f};`, "  } finally {", "    out += 0;", "  }", "  return out;"] : [`  return ${f};`]),
    "}",
    "",
    `export function ${h}_vjp(u: number, c: number, cotangent: number): { value: number; grad: { u: number; c: number } } {`,
    `  return { value: ${h}(u, c), grad: { u: cotangent * (${du}), c: cotangent * (${dc}) } };`,
    "}",
    "",
    `export function ${h}_jvp(u: number, c: number, tangents: { u?: number; c?: number }): { value: number; tangent: number } {`,
    `  return { value: ${h}(u, c), tangent: (tangents.u ?? 0) * (${du}) + (tangents.c ?? 0) * (${dc}) };`,
    "}",
    "",
    `export function ${sq}(v: number[], s: number): number {`,
    "  return s * v.reduce((acc, x) => acc + x * x, 0);",
    "}",
    "",
    `export function ${sq}_vjp(v: number[], s: number, cotangent: number): { value: number; grad: { v: number[]; s: number } } {`,
    `  return { value: ${sq}(v, s), grad: { v: v.map((x) => 2 * s * x * cotangent), s: cotangent * v.reduce((acc, x) => acc + x * x, 0) } };`,
    "}",
    "",
    `export function ${sq}_jvp(v: number[], s: number, tangents: { v?: number[]; s?: number }): { value: number; tangent: number } {`,
    "  const dv = tangents.v ?? v.map(() => 0);",
    `  return { value: ${sq}(v, s), tangent: v.reduce((acc, x, i) => acc + 2 * s * x * (dv[i] ?? 0), 0) + (tangents.s ?? 0) * v.reduce((acc, x) => acc + x * x, 0) };`,
    "}",
    "",
  ];
  const name = `useDeclared${id}`;
  lines.push(`export function ${name}(x: number, y: number, w: number[]): number {`);
  lines.push(`  let s = ${h}(${d.expr(["x", "y"])}, ${d.expr(["y"], 1)});`);
  lines.push("  for (let i = 0; i < w.length; i++) {");
  lines.push(`    s += ${h}(w[i] * ${d.expr(["x"], 1)}, ${d.expr(["s", "y"], 1)});`);
  if (d.chance(0.5)) lines.push(`    if (${d.cmp(["s", "x"])}) s *= 0.5;`);
  lines.push("  }");
  lines.push(`  return s + ${sq}(w, ${d.expr(["x", "y"], 1)}) * ${d.expr(["y"], 1)};`);
  lines.push("}");
  const entries: EntryInfo[] = [
    { name: h, params: [num("u"), num("c")], assigned: [], vector: false },
    { name: sq, params: [{ name: "v", kind: "vec" }, num("s")], assigned: [], vector: false },
    { name, params: [num("x"), num("y"), { name: "w", kind: "vec" }], assigned: [], vector: false },
  ];
  return { code: lines.join("\n"), entries };
};

const TEMPLATES: [number, Template][] = [
  [1, objectResult],
  [0.7, tupleResult],
  [1, rowsFixed],
  [1.2, popStack],
  [1.2, chains],
  [1.2, outParams],
  [1, optional],
  [0.8, untypedArray],
  [1, localMatrix],
  [1, growingRows],
  [0.8, sliceRows],
  [1, worldBodies],
  [0.8, valueClass],
  [0.8, collideTwo],
  [0.6, doWhileHelper],
];

/** The idiom units of a program (2 to 4), drawn from their own generator seeded by `seed`. */
export function idiomUnits(seed: number, avoid: readonly string[]): RawUnit[] {
  const d = new Draw(rng((seed ^ 0x1d10e5) >>> 0), avoid);
  const total = TEMPLATES.reduce((s, [w]) => s + w, 0);
  const units: RawUnit[] = [];
  const n = d.int(2, 4);
  for (let i = 0; i < n; i++) {
    let x = d.r() * total;
    let t = TEMPLATES[TEMPLATES.length - 1]![1];
    for (const [w, f] of TEMPLATES) {
      x -= w;
      if (x < 0) {
        t = f;
        break;
      }
    }
    const unit = t(d, `I${i}`);
    for (const e of unit.entries) e.sortKeys = true;
    units.push(unit);
  }
  // Units of newer templates come from a generator of their own, so that the units above (and
  // the pinned runs' coverage of them) stay as they were.
  const later = new Draw(rng((seed ^ 0x5eed0014) >>> 0), avoid);
  if (later.chance(0.35)) units.push(declaredDerivative(later, `D${n}`));
  return units;
}

/** The constructs idioms mode writes, as they appear in programs (fuzz.test.ts checks that its pinned run covers them). */
export const IDIOM_CONSTRUCTS: Record<string, RegExp> = {
  "object result with a flag and a string": /(: |= |interface Outcome\w+ )\{ value: number; ok: boolean; side: "a" \| "b"/,
  "object result returned early": /if \(!ok\) return \{ value: /,
  "tuple with a flag": /\): \[number, boolean(, number)?\] \{/,
  "array of objects with a flag as result": /export function step\w+\(ps: Node\w+\[\], dt: number\): Node\w+\[\] \{/,
  "element returned early from a map callback": /if \(p\.fixed\) return p;\n\s+const a = [^\n]*;\n\s+return \{ \.\.\.p, /,
  "flag copied field by field": /, fixed: p\.fixed \}\)\)/,
  "flag skipped in a loop": /if \(q\.fixed\) continue;/,
  "pop into a const": /const t\d+ = ys\.pop\(\)!;/,
  "pop in a compound assignment": /s \+= ys\.pop\(\)! \* /,
  "pop as a statement": /^\s+ys\.pop\(\);$/m,
  "pop in a branch": /if \([^\n]*\) \{\n\s+s -= ys\.pop\(\)!;/,
  "copy of a popped array passed": /= ys\.slice\(\);\n\s+return s \+ sumsq\w+\(rest\)|return s \+ sumsq\w+\(ys\.slice\(\)\)/,
  "map then reduce": /\.map\([^;\n]*\)\.reduce\(\(s, y(, i)?\) => /,
  "max of abs": /Math\.max\(\.\.\.xs\.map\(Math\.abs\)\)/,
  "Math function by name": /xs\.map\(Math\.\w+\)/,
  "project function by name": /xs\.map\(sq\w+\)/,
  "at(-1)": /\.at\(-1\)!/,
  "at(k)": /\.at\((0|1|-2)\)!/,
  "out written and returned": /\(out: (number\[\]|Float64Array), a: number\[\], s: number\): (number\[\]|Float64Array) \{/,
  "void writing one array": /export function apply\w+\([^)]*\): void \{/,
  "array literal passed": /wsum\w+\(t, \[x, 1, /,
  "helper writing into out": /cross\w+\(t, \[x, y, 1\], \[/,
  "optional read through ??": /const k[de] = [de] \?\? /,
  "optional === undefined": /if \([de] === undefined\)/,
  "optional != null": /if \([de] != null\)/,
  "optional typeof": /typeof [de] === "number" \? /,
  "two optionals": /d\?: number, e\?: number\): number/,
  "untyped new Array(n)": /const t = new Array\(xs\.length\);/,
  "untyped new Array(3)": /const t = new Array\(3\);/,
  "matrix by Array.from": /const m = Array\.from\(\{ length: n \}, \(\) => new Array<number>\(\d\)\.fill\(0\)\);/,
  "matrix by fill(0).map": /const m = new Array\(n\)\.fill\(0\)\.map\(\(\) => new Array<number>\(\d\)\.fill\(0\)\);/,
  "matrix literal": /const m = \[\n\s+\[[^\n]*\],\n\s+\[[^\n]*\],\n\s+\];/,
  "matrix rows assigned in a loop": /const m = new Array<number\[\]>\(n\);\n\s+for \([^\n]*\) \{\n\s+m\[i\] = new Array<number>\(\d\)\.fill\(0\);/,
  "matrix rows pushed": /const m: number\[\]\[\] = \[\];\n\s+for \([^\n]*\) m\.push\(new Array<number>\(\d\)\.fill\(0\)\);/,
  "matrix element +=": /m\[(i|\d)\]\[(j|\d)\] \+= /,
  "objects pushed": /path\.push\(\{ x: /,
  "tuples pushed after a literal": /const pts: \[number, number\]\[\] = \[\[0, 0\]\];/,
  "last tuple destructured": /const \[px, py\] = pts\[pts\.length - 1\];/,
  "pushed objects read by for...of": /for \(const p of path\) /,
  "pushed objects read by index and length": /path\[path\.length - 1\]|path\[i - 1\]\.x/,
  "pushed objects returned": /\): Pt\w+\[\] \{/,
  "pushed tuples returned": /\): \[number, number\]\[\] \{/,
  "slice(1) of objects held": /const rest = ps\.slice\(1\);/,
  "slice(1, -1) of objects held": /const rest = ps\.slice\(1, -1\);/,
  "slice(1).map of objects": /ps\.slice\(1\)\.map\(\(q, i\) => /,
  "array of objects in an object, for...of": /for \(const b of w\.bodies\)/,
  "array of objects in an object, by index": /w\.bodies\[i\]\.pos\.x/,
  "array of objects in an object, reduce": /w\.bodies\.reduce\(/,
  "optional flag skipped": /if \(b\.pinned\) continue;/,
  "value class chain": /a\.add\(b\.scale\(t\)\)\.len/,
  "value class new in a loop": /p = p\.add\(a\.scale\(t\)\)\.scale\(0\.5\);/,
  "value class method then getter": /c\.dot\(a\) \+ new V2\w+\(t\)\.len/,
  "void writing two objects": /export function collide\w+\(a: Ball\w+, b: Ball\w+, e: number\): void \{/,
  "do...while on a local helper": /\} while \(k < 3 && f\(z\) > /,
  "declared vjp and jvp": /export function h\w+_vjp\(u: number, c: number, cotangent: number\)/,
  "declared derivative of a black box": /export function h\w+\(u: number, c: number\): number \{\n\s+let out = 0;\n\s+try \{/,
  "declared derivative of an array function": /export function sumsq\w+_vjp\(v: number\[\], s: number, cotangent: number\)/,
};
