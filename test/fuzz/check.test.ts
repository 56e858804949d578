/**
 * Tests of the fuzz checker itself: it must notice wrong derivatives (an oracle that never fails
 * proves nothing), and its skip rule must skip points next to kinks and jumps but not others.
 * And of the reducer: given a planted bug, it must shrink a program to a few lines.
 */
import { describe, expect, it } from "vitest";
import * as runtime from "../../runtime/index.js";
import { type EntryInfo, type Program, type Shape, entriesOf, printProgram } from "./ast.js";
import { type CheckOptions, type Failure, checkProgram } from "./check.js";
import { type GenOptions, generateProgram } from "./generator.js";
import { reduceProgram } from "./reduce.js";

type AnyFn = (...args: unknown[]) => any;

const smooth = `export function f(x: number, y: number): number {
  let s = x * y;
  for (let i = 0; i < 3; i++) {
    s = Math.sin(s) + x;
  }
  return s * y;
}
`;
const entries: EntryInfo[] = [{ name: "f", params: [{ name: "x", kind: "num" }, { name: "y", kind: "num" }], assigned: [] }];
const points = { f: [[0.3, 0.7], [-1.2, 0.4]] };

function kinds(failures: Failure[]): string[] {
  return [...new Set(failures.map((f) => f.kind))];
}

describe("the fuzz checker", () => {
  it("passes a correct program", () => {
    const result = checkProgram(smooth, entries, { points: 2, extraPoints: points });
    expect(result.failures).toEqual([]);
    expect(result.stats.checkedPoints).toBe(4);
  });

  it("notices a gradient that is slightly off", () => {
    const result = checkProgram(smooth, entries, {
      points: 0,
      extraPoints: points,
      tamper: (m) => {
        const grad = m.f_grad as AnyFn;
        m.f_grad = (...args: unknown[]) => {
          const r = grad(...args);
          r.grad.y *= 1.0001;
          return r;
        };
      },
    });
    expect(kinds(result.failures)).toEqual(["gradient"]);
  });

  it("checks index fields of arrays of objects as integers: not perturbed, derivative exactly 0", () => {
    const springs = `interface Spring { i: number; j: number; rest: number }
export function f(x: number, ps: [number, number][], springs: Spring[]): number {
  let e = 0;
  for (const sp of springs) e += (ps[sp.j][0] - ps[sp.i][1] * x - sp.rest) ** 2;
  return e;
}
`;
    const rowEntries: EntryInfo[] = [{ name: "f", params: [{ name: "x", kind: "num" }, { name: "ps", kind: "rows" }, { name: "springs", kind: "rows" }], assigned: [] }];
    const rowPoints = { f: [[0.5, [[0.3, -1], [1.5, 0.25]], [{ i: 0, j: 1, rest: 0.5 }, { i: 1, j: 1, rest: -0.2 }]]] };
    const clean = checkProgram(springs, rowEntries, { points: 0, extraPoints: rowPoints });
    expect(clean.failures).toEqual([]);
    expect(clean.stats.checkedPoints).toBe(1);
    const tampered = checkProgram(springs, rowEntries, { points: 0, extraPoints: rowPoints, tamper: tamperGrads((grad) => (grad.springs[1].j = 1e-3)) });
    expect(kinds(tampered.failures)).toEqual(["integer-gradient"]);
  });

  it("notices a jvp that disagrees with the gradient", () => {
    const result = checkProgram(smooth, entries, {
      points: 0,
      extraPoints: points,
      tamper: (m) => {
        const jvp = m.f_jvp as AnyFn;
        m.f_jvp = (...args: unknown[]) => {
          const r = jvp(...args);
          return { ...r, tangent: r.tangent + 1e-7 };
        };
      },
    });
    expect(kinds(result.failures)).toEqual(["gradient"]);
  });

  it("notices a reverse sweep that leaves values on the tape", () => {
    const result = checkProgram(smooth, entries, {
      points: 0,
      extraPoints: points,
      tamper: (m) => {
        const grad = m.f_grad as AnyFn;
        m.f_grad = (...args: unknown[]) => {
          runtime.tape.push(1);
          return grad(...args);
        };
      },
    });
    expect(kinds(result.failures)).toEqual(["tape-imbalance"]);
    expect(runtime.tape.top).toBe(0);
  });

  it("notices f_grad_into that overwrites the caller's buffers instead of adding", () => {
    const result = checkProgram(smooth, entries, {
      points: 0,
      extraPoints: points,
      tamper: (m) => {
        const into = m.f_grad_into as AnyFn;
        m.f_grad_into = (x: unknown, y: unknown, grad: { x: number; y: number }) => {
          grad.x = 0;
          grad.y = 0;
          return into(x, y, grad);
        };
      },
    });
    expect(kinds(result.failures)).toEqual(["grad-into"]);
  });

  describe("idioms (--idioms)", () => {
    const flagged = `export function f(x: number, y: number): { value: number; ok: boolean; side: "a" | "b" } {
  const v = Math.sin(x) * y;
  if (v < 0) return { value: -v, ok: false, side: "b" };
  return { value: v, ok: true, side: "a" };
}

export function g(x: number, y: number): [number, boolean] {
  return [x * y, x < y];
}
`;
    const flaggedEntries: EntryInfo[] = [
      { name: "f", params: [{ name: "x", kind: "num" }, { name: "y", kind: "num" }], assigned: [], vector: true, sortKeys: true },
      { name: "g", params: [{ name: "x", kind: "num" }, { name: "y", kind: "num" }], assigned: [], vector: true, sortKeys: true },
    ];
    const flaggedPoints = { f: [[0.3, 0.7], [0.3, -0.7]], g: [[0.3, 0.7], [0.9, -0.2]] };

    it("passes results with booleans and strings, and notices a flag or string the value gets wrong", () => {
      expect(checkProgram(flagged, flaggedEntries, { points: 2, extraPoints: flaggedPoints }).failures).toEqual([]);
      const wrongSide = checkProgram(flagged, flaggedEntries, {
        points: 0,
        extraPoints: flaggedPoints,
        tamper: (m) => {
          const jvp = m.f_jvp as AnyFn;
          m.f_jvp = (...args: unknown[]) => {
            const r = jvp(...args);
            return { ...r, value: { ...r.value, side: r.value.side === "a" ? "b" : "a" } };
          };
        },
      });
      expect(kinds(wrongSide.failures)).toEqual(["gradient"]);
      const wrongFlag = checkProgram(flagged, flaggedEntries, {
        points: 0,
        extraPoints: flaggedPoints,
        tamper: (m) => {
          const vjp = m.g_vjp as AnyFn;
          m.g_vjp = (...args: unknown[]) => {
            const r = vjp(...args);
            return { ...r, value: [r.value[0], !r.value[1]] };
          };
        },
      });
      expect(kinds(wrongFlag.failures)).toEqual(["gradient"]);
    });

    it("notices a tuple tangent that is not 0 at a boolean's position", () => {
      const result = checkProgram(flagged, flaggedEntries, {
        points: 0,
        extraPoints: flaggedPoints,
        tamper: (m) => {
          const jvp = m.g_jvp as AnyFn;
          m.g_jvp = (...args: unknown[]) => {
            const r = jvp(...args);
            return { ...r, tangent: [r.tangent[0], 1] };
          };
        },
      });
      expect(kinds(result.failures)).toEqual(["gradient"]);
      expect(result.failures[0]!.message).toMatch(/at 1/);
    });

    it("checks a void function through the final value of the array it writes", () => {
      const source = "export function f(s: number, a: readonly number[], out: number[]): void {\n  for (let i = 0; i < Math.min(a.length, out.length); i++) out[i] = out[i] * s + Math.sin(a[i]);\n}\n";
      const voidEntries: EntryInfo[] = [{ name: "f", params: [{ name: "s", kind: "num" }, { name: "a", kind: "roVec" }, { name: "out", kind: "vec" }], assigned: [], vector: true, voidResult: 2 }];
      const clean = checkProgram(source, voidEntries, { points: 3 });
      expect(clean.failures).toEqual([]);
      expect(clean.stats.checkedPoints).toBe(3);
      const tampered = checkProgram(source, voidEntries, { points: 1, tamper: (m) => {
          const vjp = m.f_vjp as AnyFn;
          m.f_vjp = (...args: unknown[]) => {
            const r = vjp(...args);
            r.grad.a[0] += 1e-3;
            return r;
          };
        },
      });
      expect(kinds(tampered.failures)).toEqual(["gradient"]);
    });

    it("checks a void function updating two objects through { a, b }, their final values", () => {
      const source = "interface Ball {\n  x: number;\n  v: number;\n}\n\nexport function f(a: Ball, b: Ball, e: number): void {\n  const j = (1 + e) * Math.sin(b.v - a.v);\n  a.v += j;\n  b.v -= j * b.x;\n}\n";
      const ball: Shape = { k: "obj", name: "Ball", fields: [{ name: "x", shape: { k: "num" } }, { name: "v", shape: { k: "num" } }] };
      const entries: EntryInfo[] = [{ name: "f", params: [{ name: "a", kind: "struct", shape: ball }, { name: "b", kind: "struct", shape: ball }, { name: "e", kind: "num" }], assigned: [], vector: true, voidResult: [0, 1] }];
      const clean = checkProgram(source, entries, { points: 3 });
      expect(clean.failures).toEqual([]);
      expect(clean.stats.checkedPoints).toBe(3);
      const tampered = checkProgram(source, entries, { points: 1, tamper: (m) => {
          const vjp = m.f_vjp as AnyFn;
          m.f_vjp = (...args: unknown[]) => {
            const r = vjp(...args);
            r.grad.b.x += 1e-3;
            return r;
          };
        },
      });
      expect(kinds(tampered.failures)).toEqual(["gradient"]);
    });

    it("samples an optional flag present either way or left out, and list fields of 2 or 3 elements", () => {
      const source = "interface Body {\n  m: number;\n  pinned?: boolean;\n}\ninterface World {\n  bodies: Body[];\n  g: number;\n}\n\nexport function f(w: World): number {\n  let s = 0;\n  for (const b of w.bodies) {\n    if (b.pinned) continue;\n    s += Math.sin(b.m) * w.g;\n  }\n  return s;\n}\n";
      const body: Shape = { k: "obj", name: "Body", fields: [{ name: "m", shape: { k: "num" } }, { name: "pinned", shape: { k: "bool" }, optional: true }] };
      const world: Shape = { k: "obj", name: "World", fields: [{ name: "bodies", shape: body, list: true }, { name: "g", shape: { k: "num" } }] };
      const entries: EntryInfo[] = [{ name: "f", params: [{ name: "w", kind: "struct", shape: world }], assigned: [] }];
      const seen = new Set<string>();
      const lengths = new Set<number>();
      const result = checkProgram(source, entries, { points: 12, determinism: false, tamper: (m) => {
          const grad = m.f_grad as AnyFn;
          m.f_grad = (w: { bodies: { pinned?: boolean }[] }) => {
            for (const b of w.bodies) seen.add(String(b.pinned));
            lengths.add(w.bodies.length);
            return grad(w);
          };
        },
      });
      expect(result.failures).toEqual([]);
      expect([...seen].sort()).toEqual(["false", "true", "undefined"]);
      expect([...lengths].sort()).toEqual([2, 3]);
    });

    it("leaves trailing optional parameters out at some points, and then wants their derivative 0", () => {
      const source = "export function f(x: number, d?: number): number {\n  const k = d ?? 2;\n  return Math.sin(x) * k;\n}\n";
      const optEntries: EntryInfo[] = [{ name: "f", params: [{ name: "x", kind: "num" }, { name: "d", kind: "num", optional: true }], assigned: [] }];
      expect(checkProgram(source, optEntries, { points: 3, extraPoints: { f: [[0.5], [0.5, 1.5]] } }).failures).toEqual([]);
      const tampered = checkProgram(source, optEntries, { points: 0, extraPoints: { f: [[0.5]] }, tamper: tamperGrads((grad) => (grad.d = 0.25)) });
      expect(kinds(tampered.failures)).toEqual(["gradient"]);
      expect(tampered.failures[0]!.message).toMatch(/left out/);
    });
  });

  it("notices a nonzero derivative for an integer parameter", () => {
    const source = "export function f(x: number, n: number): number {\n  let s = x;\n  for (let i = 0; i < n; i++) {\n    s = s * x;\n  }\n  return s + 0.5 * n;\n}\n";
    const result = checkProgram(source, [{ name: "f", params: [{ name: "x", kind: "num" }, { name: "n", kind: "int" }], assigned: [] }], {
      points: 0,
      extraPoints: { f: [[0.7, 2]] },
    });
    expect(kinds(result.failures)).toEqual(["integer-gradient"]);
  });

  it("reports a program tsgrad rejects, and one that does not type-check", () => {
    const rejected = checkProgram("export function f(x: number): number {\n  try {\n    return x;\n  } finally {\n  }\n}\n", [entries[0]!]);
    expect(kinds(rejected.failures)).toEqual(["rejected"]);
    const invalid = checkProgram("export function f(x: number): number {\n  return x * q;\n}\n", [entries[0]!]);
    expect(kinds(invalid.failures)).toEqual(["ts-error"]);
  });

  it("reports a function skipped for TypeScript's errors as ts-error, not as selection", () => {
    // tsgrad skips `f` with TS2345 as a warning and differentiates `g`: the program is at fault.
    const source = `type Vec2 = { x: number; y: number };
export function f(x: number, v: Vec2): number {
  return Math.sin(v) + x;
}
export function g(x: number): number {
  return x * x;
}
`;
    const two: EntryInfo[] = [
      { name: "f", params: [{ name: "x", kind: "num" }, { name: "v", kind: "struct", shape: { k: "obj", name: "Vec2", fields: [{ name: "x", shape: { k: "num" } }, { name: "y", shape: { k: "num" } }] } }], assigned: [] },
      { name: "g", params: [{ name: "x", kind: "num" }], assigned: [] },
    ];
    const result = checkProgram(source, two, { points: 1 });
    const kindsFound = kinds(result.failures);
    expect(kindsFound).toContain("ts-error");
    expect(kindsFound).not.toContain("selection");
    expect(result.failures.find((f) => f.kind === "ts-error")!.message).toMatch(/TS2345/);
  });

  it("skips points next to a kink or a jump, and only those", () => {
    const source = "export function f(x: number): number {\n  return Math.abs(x - 0.5) + (x < -1 ? 1 : 0) + x * x;\n}\n";
    const one: EntryInfo[] = [{ name: "f", params: [{ name: "x", kind: "num" }], assigned: [] }];
    const near = checkProgram(source, one, { points: 0, extraPoints: { f: [[0.5 + 2e-4], [-1 - 1e-4], [-1 + 5e-4]] } });
    expect(near.failures).toEqual([]);
    expect(near.stats.skippedNonsmooth).toBe(3);
    const far = checkProgram(source, one, { points: 0, extraPoints: { f: [[0.3], [0.8], [-1.5], [1.7]] } });
    expect(far.failures).toEqual([]);
    expect(far.stats.checkedPoints).toBe(4);
  });

  it("skips a point whose branch only the point itself takes (a rounding tie)", () => {
    // log(exp(x)) <= x holds around 1.654136 but not at it (found by the long run): the gradient
    // there is 0 (the other branch), the neighbours' slope 1.
    const source = "export function f(x: number): number {\n  const b = Math.log(Math.exp(x)) <= x;\n  return b ? x : 1;\n}\n";
    const one: EntryInfo[] = [{ name: "f", params: [{ name: "x", kind: "num" }], assigned: [] }];
    const result = checkProgram(source, one, { points: 0, extraPoints: { f: [[1.654136]] } });
    expect(result.failures).toEqual([]);
    expect(result.stats.skippedNonsmooth).toBe(1);
  });
});

/** Every `_grad` of the loaded module passed through `change` (a planted bug). */
function tamperGrads(change: (grad: Record<string, any>) => void): (m: Record<string, unknown>) => void {
  return (m) => {
    for (const key of Object.keys(m).filter((k) => k.endsWith("_grad"))) {
      const grad = m[key] as AnyFn;
      m[key] = (...args: unknown[]) => {
        const r = grad(...args);
        change(r.grad);
        return r;
      };
    }
  };
}

/**
 * Finds a generated program (with `options`) whose source matches `wanted` and that the planted
 * bug makes fail with a wrong gradient, reduces it, and checks that the reduced program still
 * fails so, still matches `wanted`, and has fewer than `maxLines` lines.
 */
function expectShrinks(options: GenOptions, wanted: RegExp, tamper: CheckOptions["tamper"], maxLines: number): void {
  let found: { program: Program; failure: Failure } | undefined;
  for (let seed = 1; seed < 400 && !found; seed++) {
    const program = generateProgram(seed, options);
    const source = printProgram(program);
    if (!wanted.test(source)) continue;
    const result = checkProgram(source, entriesOf(program), { pointSeed: seed, determinism: false, tamper });
    const failure = result.failures.find((f) => f.kind === "gradient");
    if (failure) found = { program, failure };
  }
  expect(found, "no generated program trips the planted bug").toBeDefined();
  const before = printProgram(found!.program).split("\n").length;
  const reduced = reduceProgram(found!.program, found!.failure, { pointSeed: found!.program.seed, tamper, maxChecks: 400 });
  expect(reduced.failure.kind).toBe("gradient");
  expect(reduced.source).toMatch(wanted);
  const after = reduced.source.split("\n").length;
  expect(after, reduced.source).toBeLessThan(Math.min(before, maxLines));
}

describe("the reducer", () => {
  it("shrinks a failing program to a few lines that still fail the same way", () => {
    // A planted bug: every gradient is 1% off whenever the generated code contains Math.cosh
    // (the derivative of sinh, or a cosh copied into a helper).
    const scale = tamperGrads((grad) => {
      for (const p of Object.keys(grad)) if (typeof grad[p] === "number") grad[p] *= 1.01;
    });
    expectShrinks({}, /Math\.(sinh|cosh)\(/, (m, code) => code.includes("Math.cosh(") && scale(m), 12);
  });

  it("shrinks a failing program with arrays of objects (--rows)", () => {
    // A planted bug: the gradient of the first element's pos.x of every Body[] parameter is 1% off.
    const tamper = tamperGrads((grad) => {
      for (const g of Object.values(grad)) if (Array.isArray(g) && g[0]?.pos && g[0]?.vel) g[0].pos.x *= 1.01;
    });
    expectShrinks({ rows: true }, /ps: Body\[\]/, tamper, 16);
  });
});
