/**
 * The tidy pass changes how generated code reads, not what it computes. Every fixture and
 * example is compiled three ways: without the pass ("off"), with its exact rewrites only
 * ("exact") and with all of them ("all"). At the fixtures' check points (and at points of the
 * examples' sizes) f_grad / f_vjp and f_jvp must give bit-for-bit the same numbers with "exact"
 * as with "off" (a zero may change sign), and numbers equal to rounding with "all" (whose
 * `g * (1 / y)` -> `g / y` rounds once instead of twice).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { type Arg, rng } from "../helpers/gradcheck.js";
import { checkPoints, fixtureSources, fixturesDir, repoRoot } from "../helpers/fixtures.js";

type Module = Record<string, (...args: unknown[]) => any>;
const variants = ["off", "exact", "all"] as const;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-tidy-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const random = rng(7);
const normal = (scale = 1): number => scale * (random() + random() + random() - 1.5) * 2;
const vector = (n: number, scale = 1): number[] => Array.from({ length: n }, () => normal(scale));
const matrix = (rows: number, cols: number, scale = 1): number[][] => Array.from({ length: rows }, () => vector(cols, scale));

/** Points for the examples (their models have no check block): small sizes, random values. */
function examplePoints(): Record<string, Record<string, Arg[][]>> {
  const H = 4;
  const V = 5;
  const mlp = [matrix(H, 2), vector(H, 0.1), matrix(H, H, 0.5), vector(H, 0.1), matrix(2, H), vector(2, 0.1)];
  const cam = [-0.758453, -1.109613, -0.845551, 34.556073, 39.676747, 53.881673, 419.194514, 5.864426, -8.51887, 0.087812, 0.002739];
  return {
    "examples/quickstart/rosenbrock.ts": { rosenbrock: [[-1.2, 1], [0.3, 0.7]] },
    "examples/curve-fit/model.ts": {
      curve: [[[2, 0.25, 2.4, 0.7, 0.3], 3.3]],
      residuals: [[[2, 0.25, 2.4, 0.7, 0.3], [0.1, 1.3, 2.9], [1.5, -0.4, 1.1]]],
      sumOfSquares: [[[2, 0.25, 2.4, 0.7, 0.3], [0.1, 1.3, 2.9], [1.5, -0.4, 1.1]]],
    },
    "examples/mlp/model.ts": {
      logits: [[...mlp, [0.3, -0.6]]],
      loss: [[...mlp, matrix(3, 2, 0.8), [0, 1, 1]]],
    },
    "examples/robot-arm/model.ts": { tip: [[[0.3, 0.6, -1.2]], [[2.1, -0.4, 0.9]]] },
    "examples/char-rnn/model.ts": {
      step: [[matrix(4 * H, H, 0.5), vector(4 * H, 0.3), vector(4 * H, 0.5), new Float64Array(vector(2 * H, 0.5))]],
      scores: [[matrix(V, H), vector(V, 0.2), new Float64Array(vector(2 * H, 0.5))]],
      loss: [[matrix(V, 4 * H, 0.5), matrix(4 * H, H, 0.5), vector(4 * H, 0.3), matrix(V, H), vector(V, 0.2), [0, 3, 1, 4, 2], vector(2 * H, 0.5)]],
    },
    "examples/bundle-adjustment/model.ts": {
      reprojectionError: [
        [camera(cam), { x: 7.203245, y: 0.001144, z: 3.023326 }, 0.417022, { x: 271.760969, y: 834.209256 }],
        [camera([0, 0, 0, ...cam.slice(3)]), { x: 40, y: 45, z: 20 }, 0.8, { x: 10, y: -20 }],
      ],
    },
  };
}

/** ADBench's 11 camera numbers as the example's Camera. */
function camera(c: number[]): Arg {
  return { rotation: { x: c[0]!, y: c[1]!, z: c[2]! }, centre: { x: c[3]!, y: c[4]!, z: c[5]! }, focal: c[6]!, principal: { x: c[7]!, y: c[8]! }, distortion: [c[9]!, c[10]!] } as unknown as Arg;
}

function copy(a: Arg): Arg {
  return structuredClone(a);
}

/** A tangent of the same shape as `a` (arrays, objects, tuples), with values from the generator. */
function tangentLike<T>(a: T, next: () => number): T {
  if (typeof a === "number") return next() as T;
  if (a instanceof Float64Array) return a.map(() => next()) as T;
  if (Array.isArray(a)) return a.map((e) => tangentLike(e, next)) as T;
  if (a && typeof a === "object") return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, tangentLike(v, next)])) as T;
  return a;
}

/** Every number in a result (value, grad entries, tangent), in a fixed order. */
function numbers(x: unknown, out: number[] = []): number[] {
  if (typeof x === "number") out.push(x);
  else if (x instanceof Float64Array || Array.isArray(x)) for (const e of x) numbers(e, out);
  else if (x && typeof x === "object") for (const k of Object.keys(x).sort()) numbers((x as Record<string, unknown>)[k], out);
  return out;
}

/** The numbers f_grad (or f_vjp) and f_jvp give at a point. */
function evaluate(mod: Module, fn: string, params: number, point: Arg[]): number[] {
  const next = rng(99);
  // A point may leave trailing optional parameters out: they are passed as undefined.
  const args = () => [...point.map(copy), ...new Array<undefined>(Math.max(0, params - point.length)).fill(undefined)];
  const probe = mod[`${fn}_jvp`]!(...args(), {});
  const vectorResult = typeof probe.value !== "number";
  const out: number[] = [];
  if (vectorResult) {
    const cotangent = tangentLike(probe.value, () => next() * 2 - 1);
    numbers(mod[`${fn}_vjp`]!(...args(), cotangent), out);
  } else {
    numbers(mod[`${fn}_grad`]!(...args()), out);
  }
  const names = paramNames(mod[`${fn}_jvp`]!).slice(0, Math.min(params, point.length));
  const tangents: Record<string, Arg> = {};
  names.forEach((n, i) => (tangents[n] = tangentLike(point[i]!, () => next() * 2 - 1)));
  numbers(mod[`${fn}_jvp`]!(...args(), tangents), out);
  return out;
}

function paramNames(f: (...args: unknown[]) => unknown): string[] {
  const text = f.toString();
  const open = text.indexOf("(");
  const close = text.indexOf(")", open);
  return text
    .slice(open + 1, close)
    .split(",")
    .map((p) => p.trim().split(/[:=\s]/)[0]!)
    .filter((p) => p.length > 0);
}

const cases: { source: string; label: string; points: Record<string, Arg[][]> }[] = [
  ...fixtureSources().map((source) => ({ source, label: path.relative(fixturesDir, source), points: checkPoints(fs.readFileSync(source, "utf8")) })),
  ...Object.entries(examplePoints()).map(([file, points]) => ({ source: path.join(repoRoot, file), label: file, points })),
];

describe("the tidy pass keeps every number", () => {
  for (const { source, label, points } of cases) {
    it(label, async () => {
      const text = fs.readFileSync(source, "utf8");
      const modules = {} as Record<(typeof variants)[number], Module>;
      let functions: string[] = [];
      for (const variant of variants) {
        // (Written elsewhere: imports of the source, for its declared derivatives, are relative to it.)
        const file = path.join(dir, `${label.replace(/[/\\]/g, "_")}.${variant}.ts`);
        const result = compile({ fileName: source, sourceText: text, tidy: variant, outFile: file });
        expect(result.code, `${label} (${variant})`).toBeDefined();
        functions = result.functions;
        fs.writeFileSync(file, result.code!);
        modules[variant] = (await import(/* @vite-ignore */ file)) as Module;
      }
      let compared = 0;
      let rounded = 0;
      for (const fn of functions) {
        const list = points[fn] ?? [];
        expect(list.length, `${label}: no points for ${fn}`).toBeGreaterThan(0);
        for (const point of list) {
          // Every parameter of the function (a point may leave trailing optional ones out), not tangents.
          const params = paramNames(modules.off![`${fn}_jvp`]!).length - 1;
          const off = evaluate(modules.off, fn, params, point);
          const exact = evaluate(modules.exact, fn, params, point);
          const all = evaluate(modules.all, fn, params, point);
          expect(exact.length).toBe(off.length);
          expect(all.length).toBe(off.length);
          const scale = Math.max(1e-300, ...off.filter(Number.isFinite).map(Math.abs));
          off.forEach((x, i) => {
            const same = (y: number) => y === x || (Number.isNaN(x) && Number.isNaN(y));
            expect(same(exact[i]!), `${label} ${fn}: number ${i} is ${exact[i]} with exact tidying, ${x} without`).toBe(true);
            const y = all[i]!;
            if (!same(y)) {
              rounded++;
              expect(Math.abs(y - x), `${label} ${fn}: number ${i} is ${y} with all rewrites, ${x} without`).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(x), scale));
            }
          });
          compared += off.length;
        }
      }
      expect(compared).toBeGreaterThan(0);
      if (rounded > 0) console.log(`${label}: ${rounded} of ${compared} numbers differ in rounding with g * (1 / y) -> g / y`);
    });
  }
});
