/**
 * tsgrad/rollup, tsgrad/webpack and tsgrad/rspack (one unplugin plugin): a real build of an entry
 * importing `./model.grad`, whose output, run on Node, computes the gradient; a source with an
 * error fails the build with the diagnostic; a checked-in generated module is left to the bundler.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { rspack } from "@rspack/core";
import { rollup } from "rollup";
import webpack from "webpack";
import { afterEach, describe, expect, it } from "vitest";
import { tsgrad as rollupTsgrad } from "../../src/plugins/rollup.js";
import { tsgrad as rspackTsgrad } from "../../src/plugins/rspack.js";
import { tsgrad as webpackTsgrad } from "../../src/plugins/webpack.js";
import { makeFixture, removeDir, repoRoot } from "./helpers.js";

const MODEL = `export function loss(a: number, b: number): number {
  return a * a * b + Math.sin(b);
}
`;
// Plain JavaScript: these bundlers read TypeScript only through loaders of their own.
const MAIN = `import { loss_grad } from "./model.grad";
console.log(JSON.stringify(loss_grad(3, 0.5)));
`;
const BAD = `export function loss(a: number): number {
  try {
    return a;
  } catch {
    return 0;
  }
}
`;
/** The runtime as a project gets it from node_modules (the built package here). */
const RUNTIME = path.join(repoRoot, "dist", "runtime", "index.js");

type Build = (dir: string) => Promise<string>;

const builds: Record<string, Build> = {
  async rollup(dir) {
    const bundle = await rollup({
      input: path.join(dir, "main.js"),
      plugins: [rollupTsgrad(), { name: "runtime", resolveId: (id: string) => (id === "tsgrad/runtime" ? RUNTIME : null) }],
      onwarn: () => {},
    });
    const file = path.join(dir, "out", "main.mjs");
    await bundle.write({ file, format: "es" });
    await bundle.close();
    return file;
  },
  async webpack(dir) {
    return packWith(webpack as unknown as Packer, webpackTsgrad(), dir);
  },
  async rspack(dir) {
    return packWith(rspack as unknown as Packer, rspackTsgrad(), dir);
  },
};

type Packer = (config: object, done: (error: Error | null, stats?: { hasErrors(): boolean; toString(o: object): string }) => void) => unknown;

function packWith(pack: Packer, plugin: unknown, dir: string): Promise<string> {
  const config = {
    mode: "development",
    devtool: false,
    target: "node",
    context: dir,
    entry: path.join(dir, "main.js"),
    output: { path: path.join(dir, "out"), filename: "main.cjs" },
    resolve: { alias: { "tsgrad/runtime": RUNTIME } },
    plugins: [plugin],
    infrastructureLogging: { level: "error" },
  };
  return new Promise((resolve, reject) => {
    pack(config, (error, stats) => {
      if (error) reject(error);
      else if (stats?.hasErrors()) reject(new Error(stats.toString({ all: false, errors: true })));
      else resolve(path.join(dir, "out", "main.cjs"));
    });
  });
}

let dir: string | undefined;
afterEach(() => {
  removeDir(dir);
  dir = undefined;
});

describe("tsgrad/rollup's source map", () => {
  it("leads from the bundle to model.ts", async () => {
    dir = makeFixture({ "model.ts": MODEL, "main.js": MAIN });
    const bundle = await rollup({
      input: path.join(dir, "main.js"),
      plugins: [rollupTsgrad(), { name: "runtime", resolveId: (id: string) => (id === "tsgrad/runtime" ? RUNTIME : null) }],
      onwarn: () => {},
    });
    const { output } = await bundle.generate({ format: "es", sourcemap: true });
    await bundle.close();
    const map = output[0].map!;
    const index = map.sources.findIndex((s) => s.endsWith("model.ts"));
    expect(index, JSON.stringify(map.sources)).toBeGreaterThanOrEqual(0);
    expect(map.sourcesContent?.[index]).toBe(MODEL);
  });
});

describe.each(Object.keys(builds))("tsgrad/%s", (name) => {
  const build = builds[name]!;

  it("bundles an entry importing ./model.grad; the output computes the gradient on Node", async () => {
    dir = makeFixture({ "model.ts": MODEL, "main.js": MAIN });
    const out = await build(dir);
    const r = JSON.parse(execFileSync(process.execPath, [out], { encoding: "utf8" })) as { value: number; grad: { a: number; b: number } };
    expect(r.value).toBeCloseTo(9 * 0.5 + Math.sin(0.5), 12);
    expect(r.grad.a).toBeCloseTo(2 * 3 * 0.5, 12);
    expect(r.grad.b).toBeCloseTo(9 + Math.cos(0.5), 12);
    expect(fs.existsSync(path.join(dir, "model.grad.d.ts"))).toBe(true);
  });

  it("fails the build with the diagnostic of a source tsgrad rejects", async () => {
    dir = makeFixture({ "model.ts": BAD, "main.js": MAIN });
    await expect(build(dir)).rejects.toThrow(/TSG1004/);
  });

  it("leaves a checked-in model.grad.js to the bundler", async () => {
    dir = makeFixture({ "model.ts": MODEL, "main.js": MAIN, "model.grad.js": 'export function loss_grad() {\n  return { value: 42, grad: { a: 1, b: 2 } };\n}\n' });
    const out = await build(dir);
    expect(JSON.parse(execFileSync(process.execPath, [out], { encoding: "utf8" })).value).toBe(42);
  });
});
