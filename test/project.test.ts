/**
 * The project's settings (issue 14): the nearest tsconfig.json that includes a model file, or
 * the one --project names, decides module resolution (`paths` aliases), declarations (`types`
 * such as @types/node, `lib` such as DOM) for the type check. The projects are written under
 * test-output/ in the repository, so that its node_modules/@types are found as a user's are.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { repoRoot } from "./helpers/fixtures.js";
import { loadModule } from "./fuzz/check.js";

const root = path.join(repoRoot, "test-output", `project-${process.pid}`);
const write = (file: string, text: string): string => {
  const full = path.join(root, file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return full;
};

const VEC = `export type Vec2 = [number, number];
export function dot2(a: Vec2, b: Vec2): number {
  return a[0] * b[0] + a[1] * b[1];
}
`;

// A model importing a helper through an alias, reading its data with node:fs, and drawing on a
// canvas (DOM types): only \`energy\` is differentiated.
const MODEL = `import { readFileSync } from "node:fs";
import { dot2, type Vec2 } from "@/math/vec";

export function energy(points: Vec2[], k: number): number {
  let e = 0;
  for (const p of points) e += k * dot2(p, p) + Math.sin(p[0]);
  return e;
}

export function loadPoints(file: string): string {
  return readFileSync(file, "utf8");
}

export function draw(ctx: CanvasRenderingContext2D, points: Vec2[]): void {
  for (const p of points) ctx.fillRect(p[0], p[1], 1, 1);
}
`;

const TSCONFIG = JSON.stringify(
  {
    compilerOptions: {
      target: "ES2022",
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022", "DOM"],
      types: ["node"],
      strict: true,
      noEmit: true,
      baseUrl: ".",
      paths: { "@/*": ["src/*"] },
    },
    include: ["src"],
  },
  null,
  2,
);

beforeAll(() => {
  write("app/tsconfig.json", TSCONFIG);
  write("app/src/math/vec.ts", VEC);
  write("app/src/model.ts", MODEL);
  // The same files in a directory whose tsconfig does not include them, and one that is broken.
  write("other/tsconfig.json", JSON.stringify({ compilerOptions: { strict: true }, include: ["lib"] }));
  write("other/src/math/vec.ts", VEC);
  write("other/src/model.ts", MODEL);
  write("broken/tsconfig.json", "{ compilerOptions: { paths: ");
  write("broken/src/model.ts", "export function f(x: number): number {\n  return x * x;\n}\n");
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe("project settings", () => {
  it("the nearest tsconfig.json that includes the file: paths aliases, @types/node and DOM types resolve", () => {
    const file = path.join(root, "app/src/model.ts");
    const result = compile({ fileName: file, sourceText: fs.readFileSync(file, "utf8"), mode: "reverse" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(result.functions).toEqual(["energy"]);
    // The helper reached through the alias is differentiated with the model.
    const m = loadModule(result.code!) as Record<string, (...a: unknown[]) => { value: number; grad: { points: number[][]; k: number } }>;
    const r = m.energy_grad!([[0.5, -1], [2, 0.25]], 3);
    expect(r.value).toBeCloseTo(3 * (1.25 + 4.0625) + Math.sin(0.5) + Math.sin(2), 12);
    expect(r.grad.k).toBeCloseTo(1.25 + 4.0625, 12);
    expect(r.grad.points[0]![0]).toBeCloseTo(2 * 3 * 0.5 + Math.cos(0.5), 12);
  });

  it("a tsconfig.json that does not include the file is not the file's project", () => {
    const file = path.join(root, "other/src/model.ts");
    const result = compile({ fileName: file, sourceText: fs.readFileSync(file, "utf8"), mode: "reverse" });
    // Without the alias the helper's module is not found: said at the import, then energy is skipped.
    expect(result.code).toBeUndefined();
    const unresolved = result.diagnostics.filter((d) => d.code === "TSG2020");
    // (node:fs too: without the project's `types`, @types/node is not loaded.)
    expect(unresolved.map((d) => [d.message.slice(0, d.message.indexOf("':") + 1), d.line, d.column, d.severity])).toEqual([
      ["Cannot find module 'node:fs'", 1, 30, "warning"],
      ["Cannot find module '@/math/vec'", 2, 33, "warning"],
    ]);
    expect(result.diagnostics.map((d) => d.code)).toContain("TSG2004");
  });

  it("--project names the tsconfig.json (or its directory) to use", () => {
    const file = path.join(root, "other/src/model.ts");
    for (const project of [path.join(root, "app/tsconfig.json"), path.join(root, "app")]) {
      // (app's `paths` resolve against app's baseUrl: other's own vec.ts is not the one used.)
      const result = compile({ fileName: file, sourceText: fs.readFileSync(file, "utf8"), mode: "reverse", project });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(result.functions).toEqual(["energy"]);
    }
  });

  it("a tsconfig.json that cannot be parsed is TSG2005 naming it; nothing is generated", () => {
    const file = path.join(root, "broken/src/model.ts");
    write("broken/tsconfig.json", '{ "compilerOptions": { "strict": true }, "include": ["src"] }');
    expect(compile({ fileName: file, sourceText: fs.readFileSync(file, "utf8") }).code).toBeDefined();
    write("broken/tsconfig.json", '{ "compilerOptions": { "moduleResolution": "sideways" }, "include": ["src"] }');
    const result = compile({ fileName: file, sourceText: fs.readFileSync(file, "utf8") });
    expect(result.code).toBeUndefined();
    expect(result.diagnostics[0]!.code).toBe("TSG2005");
    expect(result.diagnostics[0]!.message).toContain(path.join(root, "broken/tsconfig.json"));
    expect(result.diagnostics[0]!.message).toMatch(/moduleResolution/);
  });
});
