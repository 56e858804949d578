/**
 * The primitive table (src/ir/primitives.ts), entry by entry: every Math function and operator
 * in the table is tested here without being named, so a new entry is checked by itself.
 *
 * - Its partials, built for variables and evaluated (helpers/eval-expr.ts), agree with
 *   fourth-order central finite differences of the primitive at points of its domain, whether
 *   the rule gets the result as a variable or as the expression itself.
 * - Its properties are those of its rule and of the function: a piecewise-constant entry has
 *   only null partials and a smooth one has some; `readsResult` says exactly whether the rule
 *   reads the result; integer-valued entries give integers; the arity fits the samples and
 *   `Math.<name>.length`.
 */
import { describe, expect, it } from "vitest";
import { type BinaryOp, type Expr, type MathFn, NUMBER, Var } from "../src/ir/nodes.js";
import { MATH, OPERATORS, type Primitive, usesResult } from "../src/ir/primitives.js";
import { evaluate, reads } from "./helpers/eval-expr.js";
import { rng } from "./helpers/gradcheck.js";

/** Points per entry; variadic entries vary their number of arguments among them. */
const POINTS = 12;
/** Largest relative error of a partial against finite differences. */
const TOLERANCE = 1e-6;

interface Case {
  name: string;
  entry: Primitive;
  /** The primitive applied to operands. */
  apply: (args: Expr[]) => Expr;
}

const cases: Case[] = [
  ...(Object.keys(MATH) as MathFn[]).map((fn): Case => ({ name: `Math.${fn}`, entry: MATH[fn], apply: (args) => ({ k: "math", fn, args }) })),
  ...(Object.keys(OPERATORS) as BinaryOp[]).map((op): Case => ({ name: `operator ${op}`, entry: OPERATORS[op], apply: ([a, b]) => ({ k: "binary", op, a: a!, b: b! }) })),
];

const variables = (n: number): Var[] => Array.from({ length: n }, (_, i) => new Var(`x${i}`, NUMBER, "param"));
const ref = (v: Var): Expr => ({ k: "var", v });

function asNumber(v: number | boolean): number {
  if (typeof v !== "number") throw new Error(`a partial evaluated to ${String(v)}`);
  return v;
}

/** Sample points of an entry, the same on every run. */
function samples(c: Case): number[][] {
  const r = rng(7919 + [...c.name].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 0));
  return Array.from({ length: POINTS }, () => c.entry.domain.sample(r));
}

describe("primitive table", () => {
  it("has the Math functions and all six operators", () => {
    expect(Object.keys(MATH).length).toBeGreaterThanOrEqual(28);
    expect(Object.keys(OPERATORS).sort()).toEqual(["%", "*", "**", "+", "-", "/"]);
  });

  for (const c of cases) {
    describe(c.name, () => {
      it("partials agree with central finite differences on its domain", () => {
        const step = c.entry.domain.step ?? 1e-3;
        for (const point of samples(c)) {
          const xs = variables(point.length);
          const args = xs.map(ref);
          const primal = c.apply(args);
          const env = new Map(xs.map((x, i) => [x, point[i]!] as [Var, number]));
          const value = asNumber(evaluate(primal, env));
          const f = (at: number[]): number => asNumber(evaluate(primal, new Map(xs.map((x, i) => [x, at[i]!] as [Var, number]))));
          const resultVar = new Var("result", NUMBER, "temp");
          env.set(resultVar, value);
          // The transforms pass the assigned variable when the rule reads the result, else the expression.
          for (const result of [ref(resultVar), primal]) {
            const partials = c.entry.partials(args, result);
            expect(partials.length, `${c.name}: one partial per operand`).toBe(point.length);
            partials.forEach((p, i) => {
              const derivative = p === null ? 0 : asNumber(evaluate(p, env));
              const x0 = point[i]!;
              const h = step * Math.max(1, Math.abs(x0));
              const at = (x: number): number => f(point.map((y, j) => (j === i ? x : y)));
              const fd = (-at(x0 + 2 * h) + 8 * at(x0 + h) - 8 * at(x0 - h) + at(x0 - 2 * h)) / (12 * h);
              const error = Math.abs(derivative - fd) / Math.max(1e-6, Math.abs(fd), Math.abs(derivative));
              expect(error, `${c.name}: d/dx${i} at (${point.join(", ")}): rule ${derivative}, finite differences ${fd}`).toBeLessThanOrEqual(TOLERANCE);
            });
          }
        }
      });

      it("samples of its domain fit its arity, and the value there is finite", () => {
        const arity = c.entry.arity;
        for (const point of samples(c)) {
          if (typeof arity === "number") expect(point.length).toBe(arity);
          else expect(point.length).toBeGreaterThanOrEqual(arity.atLeast);
          const xs = variables(point.length);
          const value = evaluate(c.apply(xs.map(ref)), new Map(xs.map((x, i) => [x, point[i]!] as [Var, number])));
          expect(Number.isFinite(value), `${c.name}(${point.join(", ")}) = ${String(value)}`).toBe(true);
        }
      });

      it("is piecewise constant exactly when all its partials are null", () => {
        for (const point of samples(c)) {
          const args = variables(point.length).map(ref);
          const partials = c.entry.partials(args, c.apply(args));
          expect(partials.every((p) => p === null)).toBe(c.entry.piecewiseConstant);
        }
      });

      it("says whether its rule reads the result, for variable and constant operands", () => {
        for (const point of samples(c).slice(0, 3)) {
          const xs = variables(point.length);
          // All operands variables, then each operand in turn a plain number.
          const variants: Expr[][] = [xs.map(ref), ...point.map((value, k) => xs.map((x, i): Expr => (i === k ? { k: "num", value } : ref(x))))];
          for (const args of variants) {
            const resultVar = new Var("result", NUMBER, "temp");
            const read = c.entry.partials(args, ref(resultVar)).some((p) => p !== null && reads(p, resultVar));
            expect(usesResult(c.apply(args)), `${c.name} with operands ${args.map((a) => (a.k === "num" ? a.value : "x")).join(", ")}`).toBe(read);
          }
        }
      });

      if (c.entry.integerValued) {
        it("gives integers", () => {
          const r = rng(99);
          for (const point of [...samples(c), ...samples(c).map((p) => p.map((x) => x * 1000 * (r() - 0.5)))]) {
            const xs = variables(point.length);
            const value = evaluate(c.apply(xs.map(ref)), new Map(xs.map((x, i) => [x, point[i]!] as [Var, number])));
            expect(Number.isInteger(value), `${c.name}(${point.join(", ")}) = ${String(value)}`).toBe(true);
          }
        });
      }

      if (c.name.startsWith("Math.")) {
        it("is a function of Math with the table's number of parameters", () => {
          const f = (Math as unknown as Record<string, unknown>)[c.name.slice(5)];
          expect(typeof f).toBe("function");
          // Variadic Math functions declare 2 (min, max, hypot); fixed ones their arity.
          const arity = c.entry.arity;
          expect((f as (...xs: number[]) => number).length).toBe(typeof arity === "number" ? arity : 2);
        });
      }
    });
  }
});
