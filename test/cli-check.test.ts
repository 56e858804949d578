/**
 * `tsgrad check`: the table and exit status for derivatives that agree, a declared derivative
 * that is wrong (reverse against finite differences) or whose forward mode disagrees with its
 * reverse mode, usage errors, files that do not compile. In process through main() (helpers/cli.ts);
 * the last test runs the built binary once, to prove the check runs on plain Node.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertBuilt, runBin, runCli } from "./helpers/cli.js";

let dir: string;
const tsgrad = (args: string[]) => runCli(args, dir);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-check-test-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

// A helper in another file (imported as .ts would be by a bundler, without an extension), an
// object parameter with an inactive flag, a count, a vector result, and a `void` function that
// updates its parameter.
const HELPERS = `export function square(x: number): number {\n  return x * x;\n}\n`;
const MODEL = `import { square } from "./helpers";

export interface Body { pos: { x: number; y: number }; mass: number; fixed: boolean }

export function energy(b: Body, k: number, steps: number): number {
  let e = 0;
  for (let i = 0; i < steps; i++) e += 0.5 * b.mass * (square(b.pos.x) + square(b.pos.y)) + k * Math.sin(b.pos.x * i);
  return b.fixed ? e : 2 * e;
}

export function scaled(xs: number[], s: number): number[] {
  return xs.map((x) => Math.exp(s * x));
}

export function norm(xs: Float64Array): number {
  return Math.sqrt(xs.reduce((acc, x) => acc + x * x, 0));
}

export function push(b: Body, dt: number): void {
  b.pos.x += dt * b.mass;
  b.pos.y *= Math.cos(dt);
}
`;

// Declared derivatives: f's reverse mode is wrong (the factor 3 of x^3 is missing); g's reverse
// mode is right and its forward mode wrong; h's are right; k's reverse mode is NaN everywhere.
const CUSTOM = `export function f(x: number): number {
  return x * x * x;
}
export function f_vjp(x: number, cotangent: number): { value: number; grad: { x: number } } {
  return { value: f(x), grad: { x: cotangent * x * x } };
}
export function f_jvp(x: number, tangents: { x?: number }): { value: number; tangent: number } {
  return { value: f(x), tangent: (tangents.x ?? 0) * x * x };
}
export function g(x: number): number {
  return Math.sin(x);
}
export function g_vjp(x: number, cotangent: number): { value: number; grad: { x: number } } {
  return { value: g(x), grad: { x: cotangent * Math.cos(x) } };
}
export function g_jvp(x: number, tangents: { x?: number }): { value: number; tangent: number } {
  return { value: g(x), tangent: (tangents.x ?? 0) * Math.sin(x) };
}
export function h(x: number): number {
  return Math.exp(x);
}
export function h_vjp(x: number, cotangent: number): { value: number; grad: { x: number } } {
  return { value: h(x), grad: { x: cotangent * Math.exp(x) } };
}
export function h_jvp(x: number, tangents: { x?: number }): { value: number; tangent: number } {
  return { value: h(x), tangent: (tangents.x ?? 0) * Math.exp(x) };
}
export function k(x: number): number {
  return 2 * x;
}
export function k_vjp(x: number, cotangent: number): { value: number; grad: { x: number } } {
  return { value: k(x), grad: { x: cotangent * Math.sqrt(-1 - x * x) } };
}
export function k_jvp(x: number, tangents: { x?: number }): { value: number; tangent: number } {
  return { value: k(x), tangent: 2 * (tangents.x ?? 0) };
}
export function uses(a: number, b: number): number {
  return f(a) + g(b) + h(a * b);
}
`;

/** The table's row of a function: its cells. */
function row(stdout: string, fn: string): string[] {
  const line = stdout.split("\n").find((l) => l.trim().split(/\s{2,}/)[0] === fn);
  expect(line, `no row for ${fn} in\n${stdout}`).toBeDefined();
  return line!.trim().split(/\s{2,}/);
}

describe("tsgrad check", () => {
  it("prints a table of every function and exits 0 when the derivatives agree; the same seed gives the same table", async () => {
    fs.writeFileSync(path.join(dir, "helpers.ts"), HELPERS);
    fs.writeFileSync(path.join(dir, "model.ts"), MODEL);
    const r = await tsgrad(["check", "model.ts", "--points", "4"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("model.ts");
    expect(lines[1]!.trim().split(/\s{2,}/)).toEqual(["function", "points", "max rel err (fd)", "max rel err (fwd/rev)", "status"]);
    for (const fn of ["energy", "scaled", "norm", "push"]) {
      const [, points, fd, jvp, status] = row(r.stdout, fn);
      expect(points).toBe("4");
      expect(status).toBe("ok");
      expect(Number(fd)).toBeLessThan(1e-6);
      expect(Number(jvp)).toBeLessThan(1e-8);
    }
    // `steps` is a count: drawn as an integer and not perturbed.
    expect(row(r.stdout, "energy")[5]).toBe("4 inactive numbers not perturbed");
    expect(r.stdout).toContain("tsgrad check: 4 functions at 16 points; all derivatives agree.\n");
    // Nothing is left behind: no generated file, no temporary directory.
    expect(fs.readdirSync(dir).sort()).toEqual(["helpers.ts", "model.ts"]);
    expect((await tsgrad(["check", "model.ts", "--points", "4"])).stdout).toBe(r.stdout);
    const other = await tsgrad(["check", "model.ts", "--points", "4", "--seed", "2", "--fn", "scaled"]);
    expect(other.status).toBe(0);
    expect(other.stdout).not.toContain("energy");
    expect(other.stdout).toContain("tsgrad check: 1 function at 4 points; all derivatives agree.\n");
  });

  it("checks a JavaScript source typed by JSDoc (its generated module beside it in the temporary tree, not over it)", async () => {
    const source = "/**\n * @param {number[]} xs\n * @param {number} k\n * @returns {number}\n */\nexport function energy(xs, k) {\n  return xs.reduce((e, x) => e + k * x * x + Math.sin(x), 0);\n}\n";
    fs.writeFileSync(path.join(dir, "model.js"), source);
    const r = await tsgrad(["check", "model.js", "--points", "3"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    const [, points, , , status] = row(r.stdout, "energy");
    expect([points, status]).toEqual(["3", "ok"]);
    expect(fs.readdirSync(dir)).toEqual(["model.js"]);
  });

  it("exits 1 and names the function whose declared derivative is wrong, or whose forward and reverse modes disagree", async () => {
    fs.writeFileSync(path.join(dir, "custom.ts"), CUSTOM);
    const r = await tsgrad(["check", "custom.ts"]);
    expect(r.status).toBe(1);
    // `uses` calls the declared derivatives: f's wrong reverse mode against finite differences.
    expect(row(r.stdout, "uses")[4]).toBe("MISMATCH");
    expect(r.stderr).toMatch(/^custom\.ts: uses: d\/da at \[[^\]]*\]: reverse mode \S+, finite differences \S+$/m);
    // f, g, h themselves are called through their declared derivatives.
    expect(row(r.stdout, "f")[4]).toBe("MISMATCH");
    expect(r.stderr).toMatch(/^custom\.ts: f: d\/dx at /m);
    expect(row(r.stdout, "g")[4]).toBe("MISMATCH");
    expect(r.stderr).toMatch(/^custom\.ts: g: forward and reverse mode disagree at \[[^\]]*\]: <grad, v> = \S+, jvp\(v\) = \S+$/m);
    expect(row(r.stdout, "h")[4]).toBe("ok");
    // A gradient that is NaN wherever the function is finite is no kink.
    expect(row(r.stdout, "k").slice(1, 5)).toEqual(["0", "-", "-", "MISMATCH"]);
    expect(r.stderr).toMatch(/^custom\.ts: k: the gradient is \{"x":NaN\} at \[\S+\], and not finite at any other point where the function is$/m);
    expect(r.stdout).toContain("tsgrad check: 5 functions at 8 points, 4 mismatches.\n");
  });

  it("exits 2 on usage errors and 1 on a file that does not compile", async () => {
    fs.writeFileSync(path.join(dir, "model.ts"), `export function f(x: number): number {\n  return x * x;\n}\n`);
    fs.writeFileSync(path.join(dir, "model.json"), "{}\n");
    for (const args of [["check"], ["check", "model.ts", "--points", "0"], ["check", "model.ts", "--seed", "x"], ["check", "model.ts", "--tolerance", "-1"], ["check", "model.json"]]) {
      const r = await tsgrad(args);
      expect(r.status, args.join(" ")).toBe(2);
    }
    expect((await tsgrad(["check", "model.ts", "--points", "0"])).stderr).toContain("expected a positive integer");
    fs.writeFileSync(path.join(dir, "bad.ts"), `export function f(x: number): number {\n  try {\n    return x;\n  } catch {\n    return 0;\n  }\n}\n`);
    const bad = await tsgrad(["check", "bad.ts", "model.ts"]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("bad.ts:2:3 - error TSG1004");
    expect(bad.stderr).toContain("bad.ts: not checked (errors above).");
    // The other file is still checked.
    expect(row(bad.stdout, "f")[4]).toBe("ok");
    expect(bad.stdout).toContain("tsgrad check: 1 function at 5 points, 1 file not checked.\n");
    const missing = await tsgrad(["check", "nowhere.ts"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("TSG2005");
  });

  it("runs on plain Node from the built package (bin/tsgrad.js, no TypeScript loader)", async () => {
    assertBuilt();
    fs.writeFileSync(path.join(dir, "helpers.ts"), HELPERS);
    fs.writeFileSync(path.join(dir, "model.ts"), MODEL);
    fs.writeFileSync(path.join(dir, "custom.ts"), CUSTOM);
    const r = await runBin(["check", "model.ts", "custom.ts", "--points", "4"], dir);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toBe((await tsgrad(["check", "model.ts", "custom.ts", "--points", "4"])).stdout);
    expect(row(r.stdout, "energy")[4]).toBe("ok");
    expect(row(r.stdout, "f")[4]).toBe("MISMATCH");
  });
});
