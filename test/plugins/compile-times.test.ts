/**
 * Cold and warm compile times of the plugins' compile path. Measured and printed (and written to
 * test-output/compile-times.json), not asserted: timings depend on the machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { afterAll, expect, it } from "vitest";
import { tsgrad } from "../../src/plugins/esbuild.js";
import type { CompileCache } from "../../src/api-types.js";
import { compile, createCompileCache } from "../../src/index.js";
import { GradCompiler } from "../../src/plugins/shared.js";
import { exampleRoot, makeFixture, removeDir, repoRoot, runtimeEntry, writeFile } from "./helpers.js";

const ARM = fs.readFileSync(path.join(exampleRoot, "src", "arm.ts"), "utf8");
const HELPER = `export function scale(x: number): number {
  return 2 * x;
}
`;
const MODEL = `import { scale } from "./helper.js";
export function loss(a: number, b: number): number {
  return scale(a) * b + Math.sin(b);
}
`;

const dir = makeFixture({
  "arm.ts": ARM,
  "helper.ts": HELPER,
  "model.ts": MODEL,
  "main.ts": `import { reachLoss_grad } from "./arm.grad";
import { loss_grad } from "./model.grad";
console.log(reachLoss_grad(0.1, 0.2, 0.3, 1, 1).value + loss_grad(1, 2).value);
`,
});
afterAll(() => removeDir(dir));

const results: Record<string, number> = {};

function time(label: string, f: () => void): number {
  const start = performance.now();
  f();
  const ms = performance.now() - start;
  results[label] = round(ms);
  return ms;
}

const round = (ms: number) => Math.round(ms * 100) / 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

it("measures cold and warm compiles", async () => {
  const arm = path.join(dir, "arm.ts");
  const model = path.join(dir, "model.ts");
  const cache = createCompileCache();
  const compileOk = (fileName: string, withCache: CompileCache | undefined = cache) => {
    const result = compile({ fileName, cache: withCache });
    expect(result.diagnostics).toEqual([]);
  };

  // The first compile in a fresh process (a vitest worker): TypeScript parses and binds the
  // standard library and builds a program from nothing.
  time("cold: first compile in the process (arm.ts)", () => compileOk(arm));

  const edited: number[] = [];
  for (let i = 0; i < 7; i++) {
    writeFile(dir, "arm.ts", ARM.replace("const l3 = 0.6;", `const l3 = 0.6${i + 1};`));
    edited.push(time("tmp", () => compileOk(arm)));
  }
  results["warm: recompile after editing the source (median of 7)"] = round(median(edited));

  compileOk(model);
  const importEdited: number[] = [];
  for (let i = 0; i < 7; i++) {
    writeFile(dir, "helper.ts", HELPER.replace("2 * x", `${3 + i} * x`));
    importEdited.push(time("tmp", () => compileOk(model)));
  }
  results["warm: recompile after editing an imported file (median of 7)"] = round(median(importEdited));

  // A new cache in a process that has already compiled: what the cache saves beyond the
  // process-wide parsed standard library.
  const fresh: number[] = [];
  for (let i = 0; i < 5; i++) fresh.push(time("tmp", () => compileOk(arm, createCompileCache())));
  results["new cache, warm process (median of 5)"] = round(median(fresh));

  // The plugins' compiler skips the compile when no file of the module changed.
  const plugin = new GradCompiler();
  plugin.compile(arm);
  const unchanged: number[] = [];
  for (let i = 0; i < 7; i++) unchanged.push(time("tmp", () => expect(plugin.compile(arm).errors).toEqual([])));
  results["plugin: module asked for again, nothing changed (median of 7)"] = round(median(unchanged));
  delete results.tmp;

  // esbuild: a first build through the plugin, then a rebuild after an edit.
  const ctx = await esbuild.context({
    absWorkingDir: dir,
    entryPoints: [path.join(dir, "main.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    logLevel: "silent",
    alias: { "tsgrad/runtime": runtimeEntry },
    plugins: [tsgrad()],
  });
  try {
    let start = performance.now();
    await ctx.rebuild();
    results["esbuild: first build (2 generated modules, new plugin instance)"] = round(performance.now() - start);
    writeFile(dir, "arm.ts", ARM);
    start = performance.now();
    await ctx.rebuild();
    results["esbuild: rebuild after editing arm.ts (model.grad unchanged)"] = round(performance.now() - start);
  } finally {
    await ctx.dispose();
  }

  const width = Math.max(...Object.keys(results).map((k) => k.length));
  const table = Object.entries(results)
    .map(([label, ms]) => `  ${label.padEnd(width)}  ${ms.toFixed(1).padStart(8)} ms`)
    .join("\n");
  console.log(`tsgrad plugin compile times (node ${process.version}):\n${table}`);
  const outputDir = path.join(repoRoot, "test-output");
  fs.mkdirSync(outputDir, { recursive: true });
  fs.writeFileSync(
    path.join(outputDir, "compile-times.json"),
    `${JSON.stringify({ node: process.version, platform: `${process.platform}-${process.arch}`, milliseconds: results }, null, 2)}\n`,
  );
});
