import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/api-types.js";
import * as fs from "node:fs";
import { declarationsOf } from "../../src/emit/javascript.js";
import { GradCompiler, codeFrame, resolveGradSpecifier, utf8Column, utf8Length, withoutBodies } from "../../src/plugins/shared.js";
import { makeFixture, removeDir, writeFile } from "./helpers.js";

let dir: string | undefined;
afterEach(() => {
  removeDir(dir);
  dir = undefined;
});

const MODEL = "export function f(x: number): number {\n  return x * x;\n}\n";

describe("resolveGradSpecifier", () => {
  it("maps .grad, .grad.js and .grad.ts specifiers to the source beside them", () => {
    dir = makeFixture({ "model.ts": MODEL, "sub/inner.ts": MODEL });
    const source = path.join(dir, "model.ts");
    for (const specifier of ["./model.grad", "./model.grad.js", "./model.grad.ts", path.join(dir, "model.grad")]) {
      expect(resolveGradSpecifier(specifier, dir)).toEqual({ kind: "generate", source });
    }
    expect(resolveGradSpecifier("../sub/inner.grad", path.join(dir, "other"))).toEqual({
      kind: "generate",
      source: path.join(dir, "sub", "inner.ts"),
    });
  });

  it("leaves a generated module that exists on disk to the bundler", () => {
    dir = makeFixture({ "model.ts": MODEL, "model.grad.ts": "export {};\n", "other.ts": MODEL, "other.grad.js": "" });
    expect(resolveGradSpecifier("./model.grad", dir)).toEqual({ kind: "on-disk", existing: path.join(dir, "model.grad.ts") });
    expect(resolveGradSpecifier("./model.grad.js", dir)).toEqual({ kind: "on-disk", existing: path.join(dir, "model.grad.ts") });
    expect(resolveGradSpecifier("./other.grad.js", dir)).toEqual({ kind: "on-disk", existing: path.join(dir, "other.grad.js") });
  });

  it("reports a missing source", () => {
    dir = makeFixture({});
    expect(resolveGradSpecifier("./nope.grad", dir)).toEqual({
      kind: "missing-source",
      source: path.join(dir, "nope.ts"),
      specifier: "./nope.grad",
    });
  });

  it("ignores everything else", () => {
    dir = makeFixture({ "model.ts": MODEL });
    for (const specifier of ["model.grad", "pkg/model.grad", "./model", "./model.ts", "./model.gradient", "./model.grad?raw", "./model.grad.d.ts"]) {
      expect(resolveGradSpecifier(specifier, dir)).toBeUndefined();
    }
  });
});

describe("locations", () => {
  it("converts UTF-16 columns to esbuild's UTF-8 byte columns", () => {
    expect(utf8Column("  try {", 3)).toBe(2);
    // "é" is one UTF-16 unit and two UTF-8 bytes; "𝑥" is two units and four bytes.
    expect(utf8Column("é = 1; try {", 8)).toBe(8);
    expect(utf8Column("𝑥 + try", 6)).toBe(7);
    expect(utf8Length("a = é + 1", 5, 1)).toBe(2);
  });

  it("draws a code frame under the offending span", () => {
    const d: Diagnostic = {
      code: "TSG1004",
      severity: "error",
      message: "m",
      file: "f.ts",
      line: 12,
      column: 5,
      length: 3,
      lineText: "    try {",
    };
    expect(codeFrame(d)).toBe("12 |     try {\n   |     ^^^");
  });
});

describe("GradCompiler", () => {
  it("records what each generated module depends on", () => {
    dir = makeFixture({
      "helper.ts": "export function sq(x: number): number {\n  return x * x;\n}\n",
      "model.ts": 'import { sq } from "./helper.js";\nexport function f(x: number): number {\n  return sq(x) + x;\n}\n',
    });
    const compiler = new GradCompiler();
    const result = compiler.compile(path.join(dir, "model.ts"));
    expect(result.errors).toEqual([]);
    expect(result.code).toContain("export function f_grad(");
    expect(result.dependencies[0]).toBe(path.join(dir, "model.ts"));
    expect(result.dependencies).toContain(path.join(dir, "helper.ts"));
    expect(compiler.sourcesAffectedBy(path.join(dir, "helper.ts"))).toEqual([path.join(dir, "model.ts")]);
    expect(compiler.sourcesAffectedBy(path.join(dir, "unrelated.ts"))).toEqual([]);
  });

  it("reuses a result while none of its files change, and never reuses a failure", () => {
    dir = makeFixture({
      "model.ts": 'import { sq } from "./helper.js";\nexport function f(x: number): number {\n  return sq(x) + x;\n}\n',
    });
    const compiler = new GradCompiler();
    const model = path.join(dir, "model.ts");
    const missing = compiler.compile(model);
    expect(missing.errors.length).toBeGreaterThan(0); // ./helper.js does not exist yet

    writeFile(dir, "helper.ts", "export function sq(x: number): number {\n  return x * x;\n}\n");
    const first = compiler.compile(model);
    expect(first.errors).toEqual([]);
    const again = compiler.compile(model);
    expect(again.code).toBe(first.code);
    expect(again.dependencies).toEqual(first.dependencies);

    writeFile(dir, "helper.ts", "export function sq(x: number): number {\n  return x * x * x;\n}\n");
    const edited = compiler.compile(model);
    expect(edited.errors).toEqual([]);
    expect(edited.code).not.toBe(first.code);
  });

  it("nested derivatives: a source importing ./inner.grad.js compiles with inner.grad generated in memory, and depends on inner.ts", () => {
    dir = makeFixture({
      "inner.ts": "export function f(x: number, y: number): number {\n  return Math.sin(x * y) + x * x;\n}\n",
      "outer.ts": 'import { f_grad } from "./inner.grad.js";\nexport function g(x: number): number {\n  return f_grad(x, 2).grad.x;\n}\n',
    });
    const compiler = new GradCompiler();
    const result = compiler.compile(path.join(dir, "outer.ts"));
    expect(result.errors).toEqual([]);
    expect(result.code).toContain("export function g_grad(");
    expect(result.code).toContain("function f_gradient_x_vjp(");
    expect(compiler.sourcesAffectedBy(path.join(dir, "inner.ts"))).toContain(path.join(dir, "outer.ts"));
  });
});

describe("declarations (model.grad.d.ts)", () => {
  it("withoutBodies drops the bodies of top-level functions, and keeps the whole text when the layout is not the printer's", () => {
    const code = "/** Doc. */\nexport function f_grad(x: number): number {\n  const a = x;\n\n  return a;\n}\n\nfunction g(): void {\n  if (1) {\n  }\n}\n";
    expect(withoutBodies(code)).toBe("/** Doc. */\nexport function f_grad(x: number): number {\n}\n\nfunction g(): void {\n}\n");
    const odd = "export function f(x: number): number {\nreturn x;\n}\n";
    expect(withoutBodies(odd)).toBe(odd);
    expect(withoutBodies("export function f(x: number): number {\n  return x;\n")).toBe("export function f(x: number): number {\n  return x;\n");
  });

  it("are what TypeScript's declaration emit gives after an edit inside a function, and after one of a signature", () => {
    dir = makeFixture({ "model.ts": MODEL });
    const source = path.join(dir, "model.ts");
    const compiler = new GradCompiler();
    const declared = () => fs.readFileSync(path.join(dir!, "model.grad.d.ts"), "utf8");
    const expected = (code: string | undefined) => declarationsOf(code!, path.join(dir!, "model.grad.ts"));
    for (const text of [MODEL, MODEL.replace("x * x", "x * x * 3"), MODEL.replace("(x: number)", "(x: number, y: number)").replace("x * x", "x * y")]) {
      writeFile(dir, "model.ts", text);
      const result = compiler.compile(source);
      expect(declared().endsWith(expected(result.code))).toBe(true);
    }
    expect(declared()).toContain("y: number");
  });
});
