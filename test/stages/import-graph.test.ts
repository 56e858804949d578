/**
 * The compiler's stages import only from earlier stages (docs/architecture.md): a back edge
 * (analysis importing from ad, ir from emit, ...) fails here, naming the file and the import.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../helpers/fixtures.js";

const srcDir = path.join(repoRoot, "src");

/** Stages in order; a file may import from its own stage and earlier ones. */
const STAGES: { name: string; owns: (rel: string) => boolean }[] = [
  { name: "base", owns: (f) => ["api-types.ts", "diagnostics.ts", "version.ts"].includes(f) },
  { name: "ir", owns: (f) => f.startsWith("ir/") },
  { name: "frontend", owns: (f) => f.startsWith("frontend/") },
  { name: "lower", owns: (f) => f.startsWith("lower/") },
  { name: "analysis", owns: (f) => f.startsWith("analysis/") },
  { name: "ad", owns: (f) => f.startsWith("ad/") },
  { name: "emit", owns: (f) => f.startsWith("emit/") },
  { name: "driver", owns: (f) => ["compile.ts", "dump.ts", "index.ts"].includes(f) },
  { name: "tools", owns: (f) => f.startsWith("cli/") || f.startsWith("plugins/") },
];

function stageOf(rel: string): number {
  const i = STAGES.findIndex((s) => s.owns(rel));
  if (i < 0) throw new Error(`src/${rel} belongs to no stage: add it to STAGES in ${path.basename(import.meta.url)}`);
  return i;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith(".ts") ? [full] : [];
  });
}

/** Relative imports of a file (static, re-exports and dynamic), as paths relative to src/. */
export function relativeImports(file: string, text: string): string[] {
  const out: string[] = [];
  const pattern = /(?:from\s+|import\s*\(\s*|import\s+)["'](\.{1,2}\/[^"']+)["']/g;
  for (const m of text.matchAll(pattern)) {
    const target = path.resolve(path.dirname(file), m[1]!).replace(/\.js$/, ".ts");
    out.push(path.relative(srcDir, target).split(path.sep).join("/"));
  }
  return out;
}

describe("import graph", () => {
  it("finds imports in every form", () => {
    const file = path.join(srcDir, "ad/x.ts");
    const text = `import { a } from "../ir/walk.js";\nexport { b } from "./common.js";\nconst m = await import("../emit/module.js");\nimport "../version.js";`;
    expect(relativeImports(file, text)).toEqual(["ir/walk.ts", "ad/common.ts", "emit/module.ts", "version.ts"]);
  });

  it("has no back edge between stages", () => {
    const backEdges: string[] = [];
    for (const file of sourceFiles(srcDir)) {
      const rel = path.relative(srcDir, file).split(path.sep).join("/");
      const from = stageOf(rel);
      for (const target of relativeImports(file, fs.readFileSync(file, "utf8"))) {
        if (target.startsWith("..")) continue; // outside src (the runtime)
        const to = stageOf(target);
        if (to > from) backEdges.push(`src/${rel} (${STAGES[from]!.name}) imports src/${target} (${STAGES[to]!.name})`);
      }
    }
    expect(backEdges).toEqual([]);
  });
});
