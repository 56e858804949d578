/**
 * Every derivative the compiler produces for the fixtures, checked numerically: f_grad against
 * fourth-order central finite differences at the fixture's check points (relative error <= 1e-6),
 * f_jvp against f_grad (<grad, v> == jvp(v) to 1e-10), values against the original function,
 * inputs unchanged. A fixture's `$float32` names parameters whose arguments are made
 * Float32Arrays (rows of a matrix: Float32Array[]); its `$tolerance` ({ fd, jvp }) loosens both
 * tolerances for that fixture only (single-precision storage rounds values to about 6e-8).
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { checkPoint, type Arg } from "./helpers/gradcheck.js";
import { checkPoints, fixtureSources, fixturesDir } from "./helpers/fixtures.js";

for (const source of fixtureSources()) {
  const name = path.relative(fixturesDir, source);
  const text = fs.readFileSync(source, "utf8");
  const points = checkPoints(text);
  describe(`gradients of ${name}`, () => {
    const functions = compile({ fileName: source, sourceText: text }).functions;
    it("names check points for every differentiated function", () => {
      expect(functions.length).toBeGreaterThan(0);
      for (const f of functions) expect(points[f], `${name}: no check points for ${f}`).toBeDefined();
      const orphans = Object.keys(points).filter((k) => !k.startsWith("$") && !functions.includes(k));
      expect(orphans, "check points for functions that are not differentiated").toEqual([]);
    });
    for (const fn of functions) {
      it(`${fn}: reverse vs finite differences, forward vs reverse`, async () => {
        const primal = await import(/* @vite-ignore */ source);
        const generated = await import(/* @vite-ignore */ source.replace(/\.ts$/, ".grad.ts"));
        const reverse = generated[`${fn}_grad`] ?? generated[`${fn}_vjp`];
        const forward = generated[`${fn}_jvp`];
        expect(reverse, `${fn}_grad`).toBeTypeOf("function");
        expect(forward, `${fn}_jvp`).toBeTypeOf("function");
        // A default export differentiated under its own name is the primal module's `default`;
        // `Class_method` is a method of an exported class.
        const method = classMethod(primal, fn);
        const original = primal[fn] ?? method?.call ?? primal.default;
        // A `void` function updating a parameter in place has that parameter's final value as its result.
        // Arguments the original takes as class instances (`$instances`: parameter name -> class)
        // are made instances of the primal module's class, so that their methods exist.
        const instances = (points.$instances as unknown as Record<string, string> | undefined) ?? {};
        const revive = (a: unknown, cls: string | undefined): unknown => {
          if (cls === undefined) return a;
          if (Array.isArray(a)) return a.map((item) => revive(item, cls));
          return Object.assign(Object.create((primal[cls] as { prototype: object }).prototype), a);
        };
        const f = (...args: unknown[]): unknown => {
          const before = args.map((a) => JSON.stringify(a));
          const result = original(...args.map((a, i) => revive(a, instances[params[i]!])));
          if (result !== undefined) return result;
          // Several updated parameters (`$updates`: function -> names): the result is `{ a, b }`.
          const several = ((points.$updates as unknown as Record<string, string[]> | undefined) ?? {})[fn];
          if (several) return structuredClone(Object.fromEntries(several.map((name) => [name, args[params.indexOf(name)]])));
          const updated = args.findIndex((a, i) => JSON.stringify(a) !== before[i]);
          return structuredClone(args[updated]);
        };
        // The entry point's parameter names (a destructured parameter has its public name there).
        // (An instance method's receiver `self` has its derivative under `this`.)
        const params = paramNames(reverse)
          .filter((p) => p !== "cotangent")
          .map((p, i) => (method?.instance && i === 0 ? "this" : p));
        // Parameters taking Float32Arrays (JSON has none): every array of numbers in them becomes a
        // Float32Array (number[][] -> Float32Array[]; inside tuples and objects too).
        const singles = (points.$float32 as unknown as string[] | undefined) ?? [];
        const single = (a: Arg): Arg => {
          if (Array.isArray(a)) return a.every((x) => typeof x === "number") ? new Float32Array(a as number[]) : (a as Arg[]).map(single) as Arg;
          if (a === null || typeof a !== "object" || ArrayBuffer.isView(a)) return a;
          return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, single(v as Arg)]));
        };
        const list = (points[fn] ?? []).map((pt) => pt.map((a, i) => (singles.includes(params[i]!) ? single(a) : a)));
        const tolerance = (points.$tolerance as unknown as { fd?: number; jvp?: number } | undefined) ?? {};
        expect(list.length).toBeGreaterThanOrEqual(2);
        let checked = 0;
        // Integer parameters (loop bounds, depths) are not perturbed; their derivative must be 0.
        const integers = (points.$integers as unknown as string[] | undefined) ?? [];
        // Inactive data (strings, booleans, enums; `$inactive` names numeric ones) has no grad entry.
        const inactive = [
          ...((points.$inactive as unknown as string[] | undefined) ?? []),
          ...params.filter((_, i) => list.some((pt) => typeof pt[i] === "string" || typeof pt[i] === "boolean")),
        ];
        const wrt = params.filter((p) => !integers.includes(p) && !inactive.includes(p));
        for (const point of list) {
          const integerFields = (points.$integerFields as unknown as string[] | undefined) ?? [];
          checked += checkPoint(fn, f, reverse, forward, point, { params, wrt, integerFields, fdTolerance: tolerance.fd, jvpTolerance: tolerance.jvp });
          // (A vjp takes a cotangent: the value itself will do.)
          const cotangent = generated[`${fn}_vjp`] ? [f(...structuredClone(point))] : [];
          const padded = [...point, ...new Array<undefined>(Math.max(0, params.length - point.length)).fill(undefined)];
          const grad = reverse(...padded, ...cotangent).grad as Record<string, number>;
          for (const p of inactive) expect(grad, `${fn}: inactive ${p} has a grad entry`).not.toHaveProperty(p);
          for (const p of params.filter((q) => integers.includes(q))) expect(grad[p], `${fn}: d/d${p}`).toBe(0);
        }
        expect(checked).toBeGreaterThan(0);
      });
    }
  });
}

/**
 * `Class_method` of an exported class, as a function of its arguments (an instance method takes
 * its object first: a plain object given there becomes an instance of the class).
 */
function classMethod(primal: Record<string, unknown>, fn: string): { call: (...args: unknown[]) => unknown; instance: boolean } | undefined {
  for (const [name, value] of Object.entries(primal)) {
    if (typeof value !== "function" || !fn.startsWith(`${name}_`)) continue;
    const methodName = fn.slice(name.length + 1);
    const cls = value as unknown as Record<string, unknown> & { prototype: Record<string, unknown> };
    if (typeof cls[methodName] === "function") return { call: (cls[methodName] as (...args: unknown[]) => unknown).bind(cls), instance: false };
    // A getter is called like a method.
    let descriptor: PropertyDescriptor | undefined;
    for (let proto: object | null = cls.prototype; proto && !descriptor; proto = Object.getPrototypeOf(proto)) descriptor = Object.getOwnPropertyDescriptor(proto, methodName);
    const m = descriptor?.get ?? descriptor?.value;
    if (typeof m === "function") {
      return { call: (self, ...args) => (m as (...a: unknown[]) => unknown).apply(Object.assign(Object.create(cls.prototype), self), args), instance: true };
    }
  }
  return undefined;
}

/** Parameter names of a compiled JS function (generated entry points use plain identifiers). */
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
