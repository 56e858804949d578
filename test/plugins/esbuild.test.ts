import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import ts from "typescript";
import { afterEach, describe, expect, it } from "vitest";
import { tsgrad } from "../../src/plugins/esbuild.js";
import { locate, makeFixture, removeDir, runtimeEntry, waitFor, writeFile } from "./helpers.js";

const MODEL = `export function loss(a: number, b: number): number {
  return a * a * b + Math.sin(b);
}
`;

const MAIN = `import { loss_grad } from "./model.grad";
console.log(JSON.stringify(loss_grad(3, 0.5)));
`;

/** Analytic value and gradient of MODEL at (3, 0.5). */
const EXPECTED = { value: 9 * 0.5 + Math.sin(0.5), grad: { a: 2 * 3 * 0.5, b: 9 + Math.cos(0.5) } };

function options(dir: string, extra: esbuild.BuildOptions = {}): esbuild.BuildOptions {
  return {
    absWorkingDir: dir,
    entryPoints: [path.join(dir, "main.ts")],
    outfile: path.join(dir, "out", "main.mjs"),
    bundle: true,
    format: "esm",
    platform: "node",
    logLevel: "silent",
    // A project gets tsgrad/runtime from node_modules; here it is the runtime's source.
    alias: { "tsgrad/runtime": runtimeEntry },
    plugins: [tsgrad()],
    ...extra,
  };
}

function run(file: string): { value: number; grad: Record<string, number> } {
  return JSON.parse(execFileSync(process.execPath, [file], { encoding: "utf8" }));
}

function expectClose(
  actual: { value: number; grad: Record<string, number> },
  expected: { value: number; grad: { a: number; b: number } },
): void {
  expect(actual.value).toBeCloseTo(expected.value, 8);
  expect(actual.grad.a).toBeCloseTo(expected.grad.a, 8);
  expect(actual.grad.b).toBeCloseTo(expected.grad.b, 8);
}

let dir: string | undefined;
afterEach(() => {
  removeDir(dir);
  dir = undefined;
});

describe("tsgrad/esbuild", () => {
  it("bundles an entry that imports ./model.grad, and the output computes the gradient", async () => {
    dir = makeFixture({ "model.ts": MODEL, "main.ts": MAIN });
    const result = await esbuild.build({ ...options(dir), metafile: true });
    expect(result.errors).toEqual([]);
    expectClose(run(path.join(dir, "out", "main.mjs")), EXPECTED);
    // The generated module is keyed on its source, in the plugin's namespace, and nothing was
    // written beside the source.
    expect(Object.keys(result.metafile!.inputs)).toContain(`tsgrad:${path.join(dir, "model.ts")}`);
    expect(fs.existsSync(path.join(dir, "model.grad.ts"))).toBe(false);
  });

  it("writes model.grad.d.ts beside the source, which gives the import its types (declarations: false does not)", async () => {
    dir = makeFixture({ "model.ts": MODEL, "main.ts": `${MAIN}const wrong: string = loss_grad(1, 2).grad.a;\n` });
    expect((await esbuild.build(options(dir))).errors).toEqual([]);
    const declarations = fs.readFileSync(path.join(dir, "model.grad.d.ts"), "utf8");
    expect(declarations).toContain("export declare function loss_grad(a: number, b: number): {");
    // TypeScript now types the import: the deliberate mistake in main.ts is found, nothing else.
    const program = ts.createProgram([path.join(dir, "main.ts")], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] });
    const errors = ts.getPreEmitDiagnostics(program).map((d) => `${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
    expect(errors).toEqual(["2322 Type 'number' is not assignable to type 'string'."]);
    // Unchanged types are not written again (watchers are not woken).
    const before = fs.statSync(path.join(dir, "model.grad.d.ts")).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    expect((await esbuild.build(options(dir))).errors).toEqual([]);
    expect(fs.statSync(path.join(dir, "model.grad.d.ts")).mtimeMs).toBe(before);
    fs.rmSync(path.join(dir, "model.grad.d.ts"));
    expect((await esbuild.build(options(dir, { plugins: [tsgrad({ declarations: false })] }))).errors).toEqual([]);
    expect(fs.existsSync(path.join(dir, "model.grad.d.ts"))).toBe(false);
  });

  it("the generated module's source map reaches the bundle's: its lines lead to model.ts", async () => {
    dir = makeFixture({ "model.ts": MODEL, "main.ts": MAIN });
    expect((await esbuild.build(options(dir, { sourcemap: "external" }))).errors).toEqual([]);
    const map = JSON.parse(fs.readFileSync(path.join(dir, "out", "main.mjs.map"), "utf8")) as { sources: string[]; sourcesContent: string[]; mappings: string };
    const index = map.sources.findIndex((s) => s.endsWith("model.ts"));
    expect(index, JSON.stringify(map.sources)).toBeGreaterThanOrEqual(0);
    expect(map.sourcesContent[index]).toBe(MODEL);
  });

  it("resolves ./model.grad, ./model.grad.js and ./model.grad.ts to one module", async () => {
    dir = makeFixture({
      "model.ts": MODEL,
      "main.ts": `import { loss_grad as g1 } from "./model.grad";
import { loss_grad as g2 } from "./model.grad.js";
import { loss_grad as g3 } from "./model.grad.ts";
console.log(JSON.stringify({ ...g1(3, 0.5), same: g1 === g2 && g2 === g3 }));
`,
    });
    const result = await esbuild.build({ ...options(dir), metafile: true });
    const inputs = Object.keys(result.metafile!.inputs).filter((name) => name.startsWith("tsgrad:"));
    expect(inputs).toEqual([`tsgrad:${path.join(dir, "model.ts")}`]);
    const output = run(path.join(dir, "out", "main.mjs")) as ReturnType<typeof run> & { same: boolean };
    expect(output.same).toBe(true);
    expectClose(output, EXPECTED);
  });

  it("resolves .grad imports from stdin", async () => {
    dir = makeFixture({ "model.ts": MODEL });
    const result = await esbuild.build({
      ...options(dir),
      entryPoints: undefined,
      stdin: { contents: MAIN, resolveDir: dir, loader: "ts", sourcefile: "main.ts" },
    });
    expect(result.errors).toEqual([]);
    expectClose(run(path.join(dir, "out", "main.mjs")), EXPECTED);
  });

  it("leaves a checked-in model.grad.ts to esbuild", async () => {
    dir = makeFixture({
      "model.ts": MODEL,
      "model.grad.ts": `export function loss_grad(a: number, b: number) {
  return { value: -1, grad: { a: -2, b: -3 } };
}
`,
      "main.ts": MAIN,
    });
    const result = await esbuild.build({ ...options(dir), metafile: true });
    expect(Object.keys(result.metafile!.inputs)).toContain("model.grad.ts");
    expect(Object.keys(result.metafile!.inputs).some((name) => name.startsWith("tsgrad:"))).toBe(false);
    expect(run(path.join(dir, "out", "main.mjs"))).toEqual({ value: -1, grad: { a: -2, b: -3 } });
  });

  it("reports a diagnostic as an esbuild error with file, line, column and line text", async () => {
    const broken = `export function loss(a: number, b: number): number {
  let s = a;
  try {
    s = s * b;
  } catch {
    s = 0;
  }
  return s;
}
`;
    dir = makeFixture({ "model.ts": broken, "main.ts": MAIN });
    const failure = await esbuild.build(options(dir)).then(
      () => undefined,
      (error: esbuild.BuildFailure) => error,
    );
    expect(failure?.errors).toHaveLength(1);
    const error = failure!.errors[0]!;
    const at = locate(broken, "try {");
    expect(error.pluginName).toBe("tsgrad");
    expect(error.text).toMatch(/^TSG\d{4}: /);
    expect(error.location).toMatchObject({
      file: "model.ts",
      line: at.line,
      column: at.column - 1, // esbuild columns are 0-based
      lineText: "  try {",
    });
    expect(error.location!.length).toBeGreaterThan(0);
    // esbuild's own formatting shows the location and the offending line.
    const [formatted] = await esbuild.formatMessages([error], { kind: "error", color: false });
    expect(formatted).toContain(`model.ts:${at.line}:${at.column - 1}:`);
    expect(formatted).toContain("try {");
  });

  it("reports a missing source as an error naming it", async () => {
    dir = makeFixture({ "main.ts": MAIN });
    const failure = await esbuild.build(options(dir)).then(
      () => undefined,
      (error: esbuild.BuildFailure) => error,
    );
    expect(failure?.errors[0]?.text).toContain(path.join(dir, "model.ts"));
  });

  it("picks up edits to the source and to files it imports on a context rebuild", async () => {
    dir = makeFixture({
      "helper.ts": `export function scale(x: number): number {
  return 2 * x;
}
`,
      "model.ts": `import { scale } from "./helper.js";
export function loss(a: number, b: number): number {
  return scale(a) * b;
}
`,
      "main.ts": MAIN,
    });
    const out = path.join(dir, "out", "main.mjs");
    const ctx = await esbuild.context({ ...options(dir), metafile: true });
    try {
      const first = await ctx.rebuild();
      expect(first.errors).toEqual([]);
      expectClose(run(out), { value: 3, grad: { a: 1, b: 6 } });

      writeFile(dir, "model.ts", `import { scale } from "./helper.js";
export function loss(a: number, b: number): number {
  return scale(a) * b * b;
}
`);
      await ctx.rebuild();
      expectClose(run(out), { value: 1.5, grad: { a: 0.5, b: 6 } });

      writeFile(dir, "helper.ts", `export function scale(x: number): number {
  return 10 * x;
}
`);
      await ctx.rebuild();
      expectClose(run(out), { value: 7.5, grad: { a: 2.5, b: 30 } });
    } finally {
      await ctx.dispose();
    }
  });

  it("watch mode rebuilds when the source or a file it imports changes", async () => {
    dir = makeFixture({
      "helper.ts": `export function scale(x: number): number {
  return 2 * x;
}
`,
      "model.ts": `import { scale } from "./helper.js";
export function loss(a: number, b: number): number {
  return scale(a) + b;
}
`,
      "main.ts": MAIN,
    });
    const out = path.join(dir, "out", "main.mjs");
    let builds = 0;
    let lastErrors: esbuild.Message[] = [];
    const counter: esbuild.Plugin = {
      name: "count-builds",
      setup(build) {
        build.onEnd((result) => {
          lastErrors = result.errors;
          builds++;
        });
      },
    };
    const ctx = await esbuild.context({ ...options(dir), plugins: [tsgrad(), counter] });
    try {
      await ctx.watch();
      await waitFor(() => builds === 1);
      expect(run(out).value).toBeCloseTo(6.5, 12);

      // Break the source: the watcher rebuilds and reports the error, then recovers.
      writeFile(dir, "model.ts", `import { scale } from "./helper.js";
export function loss(a: number, b: number): number {
  try { return scale(a); } finally { }
}
`);
      await waitFor(() => builds === 2, 15_000);
      expect(lastErrors[0]?.location?.file).toBe("model.ts");

      writeFile(dir, "model.ts", `import { scale } from "./helper.js";
export function loss(a: number, b: number): number {
  return scale(a) - b;
}
`);
      await waitFor(() => builds === 3, 15_000);
      expect(lastErrors).toEqual([]);
      expect(run(out).value).toBeCloseTo(5.5, 12);

      writeFile(dir, "helper.ts", `export function scale(x: number): number {
  return 4 * x;
}
`);
      await waitFor(() => builds === 4, 15_000);
      expect(run(out).value).toBeCloseTo(11.5, 12);
    } finally {
      await ctx.dispose();
    }
  });
});
