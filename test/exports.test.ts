/**
 * Export forms (SPEC section 1): which exports are differentiated and under which public names,
 * and that every export that is not gets a located word, in the API and in the CLI's output.
 * The code generated for the forms is pinned by fixtures/exports.ts and exports-default.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { parseDiagnostics } from "./bad-input/cli.js";
import { runCli } from "./helpers/cli.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-exports-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Writes the files (name -> text) into a fresh subdirectory and compiles the first. */
function compileFiles(files: Record<string, string>, functions?: string[]) {
  const sub = fs.mkdtempSync(path.join(dir, "case-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(sub, name), text);
  const [main] = Object.keys(files);
  const fileName = path.join(sub, main!);
  return compile({ fileName, sourceText: files[main!]!, mode: "reverse", ...(functions ? { functions } : {}) });
}

/** `CODE line:col severity` of each diagnostic, in order. */
const where = (r: ReturnType<typeof compile>) => r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column} ${d.severity}`);

const NUMERIC = `(x: number): number { return x * x; }`;

describe("selection: every export form of a function", () => {
  it("lists, aliases, default exports and const arrows give the names a user imports", () => {
    const r = compileFiles({
      "m.ts": [
        `function a${NUMERIC}`,
        `const b = (x: number): number => Math.sin(x);`,
        `export function c${NUMERIC}`,
        `export { a, b as bee, c as sea };`,
        `export default function named${NUMERIC}`,
      ].join("\n"),
    });
    expect(where(r)).toEqual([]);
    expect(r.functions).toEqual(["c", "a", "bee", "sea", "named"]);
    for (const f of ["c", "a", "bee", "named"]) expect(r.code).toContain(`export function ${f}_grad(`);
    // `c` exported again as `sea`: the same entry points under the second name.
    expect(r.code).toContain("export const sea_grad = c_grad;");
    expect(r.code).not.toContain("function sea_");
  });

  it("`export default f` and `export { f as default }` keep the function's own name, once", () => {
    const def = compileFiles({ "m.ts": `export function f${NUMERIC}\nexport default f;\n` });
    expect(def.functions).toEqual(["f"]);
    const asDefault = compileFiles({ "m.ts": `const g = (x: number): number => 2 * x;\nexport { g as default };\n` });
    expect(asDefault.functions).toEqual(["g"]);
  });

  it("an anonymous default export is `default` (default_grad), arrow or function", () => {
    expect(compileFiles({ "m.ts": `export default (x: number): number => x * x;\n` }).functions).toEqual(["default"]);
    expect(compileFiles({ "m.ts": `export default function ${NUMERIC}\n` }).functions).toEqual(["default"]);
  });

  it("--fn matches public names: the alias, not the local name", () => {
    const files = { "m.ts": `function f${NUMERIC}\nexport { f as g };\n` };
    expect(compileFiles(files, ["g"]).functions).toEqual(["g"]);
    const byLocal = compileFiles(files, ["f"]);
    expect(byLocal.code).toBeUndefined();
    expect(where(byLocal)).toEqual(["TSG2002 0:0 error"]);
  });

  it("overloads differentiate their implementation, once", () => {
    const r = compileFiles({
      "m.ts": `export function f(x: number): number;\nexport function f(x: number): number { return x * x; }\n`,
    });
    expect(where(r)).toEqual([]);
    expect(r.functions).toEqual(["f"]);
  });
});

describe("selection: every skipped export gets a located warning", () => {
  const skipped = {
    "m.ts": [
      `import { helper } from "./other";`, // 1
      `export function ok${NUMERIC}`, // 2
      `export { helper };`, // 3
      `export { twice as double } from "./other";`, // 4
      `export * from "./other";`, // 5
      `export class Body { mass = 1; }`, // 6
      `export let mutable = (x: number): number => x;`, // 7
      `export function label(n: number): string { return "x" + n; }`, // 8
      `export declare function ambient(x: number): number;`, // 9
      `export const N = 3, obj = { a: 1 };`, // 10: values, no word
      `export type T = number;`, // 11: types, no word
      `export * from "./constants";`, // 12: no functions, no word
    ].join("\n"),
    "other.ts": `export function helper${NUMERIC}\nexport function twice${NUMERIC}\n`,
    "constants.ts": `export const K = 2;\n`,
  };

  it("re-exports, classes, let bindings, non-numeric and bodiless functions: warnings in source order", () => {
    const r = compileFiles(skipped);
    expect(r.functions).toEqual(["ok"]);
    expect(where(r)).toEqual([
      "TSG2010 3:10 warning",
      "TSG2010 4:10 warning",
      "TSG2010 5:1 warning",
      "TSG2011 6:1 warning",
      "TSG2012 7:12 warning",
      "TSG2004 8:1 warning",
      "TSG2004 9:1 warning",
    ]);
    const messages = r.diagnostics.map((d) => d.message);
    expect(messages[0]).toBe(
      "Re-export of 'helper' from './other' is not differentiated here: compile the file that defines the function; tsgrad writes its derivatives beside it.",
    );
    expect(messages[2]).toContain("Re-export of everything from './other'");
    expect(messages[3]).toContain("Class 'Body' is skipped: it has no public method with a body");
    expect(messages[4]).toContain("Function 'mutable' is skipped: it is declared with 'let'");
    expect(messages[6]).toContain("Function 'ambient' is skipped: it is declared without a body.");
  });

  it("with --fn, the export asked for is an error with its reason; the others say nothing", () => {
    const r = compileFiles(skipped, ["Body", "mutable"]);
    expect(r.code).toBeUndefined();
    expect(where(r)).toEqual(["TSG2011 6:1 error", "TSG2012 7:12 error"]);
  });

  it("a file whose exports are all skipped: the warnings, then TSG2001", () => {
    const r = compileFiles({ "m.ts": `export class Body { mass = 1; }\nexport function label(n: number): string { return "" + n; }\n` });
    expect(r.code).toBeUndefined();
    expect(where(r)).toEqual(["TSG2011 1:1 warning", "TSG2004 2:1 warning", "TSG2001 0:0 error"]);
  });

  it("an export name that is not an identifier (`export { f as \"a b\" }`) cannot name f_grad", () => {
    const r = compileFiles({ "m.ts": `function f${NUMERIC}\nexport { f as "a b", f as g };\n` });
    expect(r.functions).toEqual(["g"]);
    expect(where(r)).toEqual(["TSG2004 2:10 warning"]);
    expect(r.diagnostics[0]!.message).toBe("Function 'a b' is skipped: its exported name is not an identifier; export it under one.");
  });

  it("a const holding a function value that is not written as a function", () => {
    const r = compileFiles({ "m.ts": `const make = () => (x: number): number => x;\nexport const f = make();\nexport function g${NUMERIC}\n` });
    expect(where(r)).toEqual(["TSG2004 2:14 warning"]);
    expect(r.diagnostics[0]!.message).toContain("it is a function value, not written as a function");
  });
});

describe("CLI output for skipped exports", () => {
  const write = (sub: string, files: Record<string, string>): string => {
    const d = path.join(dir, sub);
    fs.mkdirSync(d, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(d, name), text);
    return d;
  };

  it("by default each skipped export is one located line, and --verbose adds its code frame", async () => {
    const d = write("cli-mixed", { "m.ts": `export function f${NUMERIC}\nexport class Body { mass = 1; }\n` });
    const r = await runCli(["compile", "m.ts"], d);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      "m.ts:2:1 - warning TSG2011: Class 'Body' is skipped: it has no public method with a body (tsgrad differentiates a class's static and instance methods, as 'Body_method_grad'); write its numeric code as methods or as exported functions.\n",
    );
    expect(r.stdout).toBe("wrote m.grad.ts (f)\n");
    const verbose = await runCli(["compile", "m.ts", "--verbose"], d);
    expect(parseDiagnostics(verbose.stderr)[0]!.frame?.source).toBe("  2 | export class Body { mass = 1; }");
  });

  it("a named file with nothing to differentiate: every skipped export, then the error", async () => {
    const d = write("cli-none", {
      "m.ts": `export function label(n: number): string { return "" + n; }\nexport default (m: Map<string, number>): number => m.size;\n`,
    });
    const r = await runCli(["compile", "m.ts"], d);
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toBe("m.ts:1:1 - warning TSG2004: Function 'label' is skipped: it returns 'string', not number, number[], Float64Array, Float32Array, an object or tuple of numbers (booleans and string literal unions may come along), or an array of them.");
    expect(lines[1]).toMatch(/^m\.ts:2:1 - warning TSG2004: Function 'default' is skipped: Parameter 'm' has type 'Map<string, number>'/);
    expect(lines[2]).toMatch(/^m\.ts - error TSG2001: No function to differentiate in /);
    expect(lines[3]).toBe("tsgrad: 1 error; nothing was written.");
  });

  it("in a directory, a file with nothing to differentiate is one line, its reasons under --verbose", async () => {
    const d = write("cli-dir", {
      "model.ts": `export function f${NUMERIC}\n`,
      "util.ts": `export function label(n: number): string { return "" + n; }\nexport class Box {}\n`,
      "types.ts": `export interface P { x: number }\nexport const N = 3;\n`,
    });
    const r = await runCli(["compile", "."], d);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe("util.ts - note: nothing to differentiate; 2 exports skipped (--verbose says why).\n");
    const verbose = await runCli(["compile", ".", "--verbose"], d);
    expect(parseDiagnostics(verbose.stderr).map((x) => `${x.file}:${x.line} ${x.code}`)).toEqual(["util.ts:1 TSG2004", "util.ts:2 TSG2011"]);
    expect(verbose.stderr).toContain("types.ts - note: no differentiable exported functions; skipped.");
  });
});
