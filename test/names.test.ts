/**
 * Names in generated modules: public names are always the user's (`f_grad`, `f_vjp`, `f_jvp`
 * for a function `f`, also when `f` is named like a runtime kernel), the runtime's exports are
 * imported under other names when the module needs theirs, and a variable of the source renames
 * an adjoint only in a function where both occur.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { checkPoint } from "./helpers/gradcheck.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-names-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function generate(name: string, source: string): string {
  const fileName = path.join(dir, `${name}.ts`);
  fs.writeFileSync(fileName, source);
  const result = compile({ fileName, sourceText: source });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  fs.writeFileSync(path.join(dir, `${name}.grad.ts`), result.code!);
  return result.code!;
}

describe("names", () => {
  it("keeps the public names of a function named like a kernel and imports the kernel's under others", async () => {
    const source = [
      'import { softmax as stable, sum } from "tsgrad/runtime";',
      "export function softmax(a: number[]): Float64Array {",
      "  return stable(a);",
      "}",
      "export function sum2(a: number[]): number {",
      "  return sum(a) * sum(a);",
      "}",
    ].join("\n");
    const code = generate("kernels", source);
    expect(code).toMatch(/^export function softmax_vjp\(/m);
    expect(code).toMatch(/^export function softmax_jvp\(/m);
    expect(code).not.toMatch(/softmax_2_/);
    expect(code).toContain("softmax_jvp as rt_softmax_jvp");
    expect(code).toContain("softmax_vjp as rt_softmax_vjp");
    // No collision, no alias.
    expect(code).toMatch(/import \{[^}]*\bsum_vjp\b(?! as)/);
    const generated = await import(/* @vite-ignore */ path.join(dir, "kernels.grad.ts"));
    const primal = await import(/* @vite-ignore */ path.join(dir, "kernels.ts"));
    checkPoint("softmax", primal.softmax, generated.softmax_vjp, generated.softmax_jvp, [[0.3, -1.2, 2]], { params: ["a"] });
  });

  it("lets a user variable be named `tape`: the module imports the runtime's tape as rt_tape", async () => {
    const source = [
      "export function tape(x: number, n: number): number {",
      "  let tape = x;",
      "  for (let i = 0; i < n; i++) tape = Math.sin(tape) * x;",
      "  return tape;",
      "}",
    ].join("\n");
    const code = generate("tape", source);
    expect(code).toContain('import { tape as rt_tape } from "tsgrad/runtime";');
    expect(code).toMatch(/^export function tape_grad\(/m);
    expect(code).toContain("let tape = x;");
    expect(code).toContain("rt_tape.push(tape);");
    const generated = await import(/* @vite-ignore */ path.join(dir, "tape.grad.ts"));
    const primal = await import(/* @vite-ignore */ path.join(dir, "tape.ts"));
    checkPoint("tape", primal.tape, generated.tape_grad, generated.tape_jvp, [0.7, 4], { params: ["x", "n"], wrt: ["x"] });
  });

  it("renames the adjoint of x only in the functions that have a variable dx of their own", () => {
    const source = [
      "export function plain(x: number): number {",
      "  return x * Math.sin(x);",
      "}",
      "export function stepped(x: number, dx: number): number {",
      "  return x * Math.sin(x + dx);",
      "}",
    ].join("\n");
    const code = generate("adjoints", source);
    const body = (name: string) => code.slice(code.indexOf(`export function ${name}(`), code.indexOf("\n}\n", code.indexOf(`export function ${name}(`)));
    expect(body("plain_jvp")).toContain("const dx = tangents.x ?? 0;");
    expect(body("plain_grad_into")).not.toContain("dx_2");
    expect(body("stepped_jvp")).toContain("const dx_2 = tangents.x ?? 0;");
    expect(body("stepped_jvp")).toContain("const ddx = tangents.dx ?? 0;");
  });
});
