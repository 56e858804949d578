/**
 * Golden fixtures: every fixtures/*.ts compiles to exactly its fixtures/*.grad.ts (rewrite them
 * with UPDATE_SNAPSHOTS=1), with the options its `options` comment block names (see
 * fixtureOptions), no expected file is orphaned, and the generated modules (with the examples'
 * checked-in ones) type-check under tsc --strict --noUnusedLocals --noUnusedParameters.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { fixtureOptions, fixtureSources, fixturesDir, repoRoot } from "./helpers/fixtures.js";

const update = process.env.UPDATE_SNAPSHOTS === "1";
const sources = fixtureSources();

describe("golden fixtures", () => {
  it("has fixtures", () => {
    expect(sources.length).toBeGreaterThan(5);
  });

  for (const source of sources) {
    const name = path.relative(fixturesDir, source);
    it(`${name} compiles to its .grad.ts`, () => {
      // (A fixture may name compile options of its own: `/* options: { "jacobian": true } */`.)
      const text = fs.readFileSync(source, "utf8");
      const result = compile({ fileName: source, sourceText: text, ...fixtureOptions(text) });
      expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const expectedFile = source.replace(/\.ts$/, ".grad.ts");
      if (update) fs.writeFileSync(expectedFile, result.code!);
      expect(fs.existsSync(expectedFile), `${expectedFile} is missing: run npm run fixtures:update`).toBe(true);
      expect(result.code).toBe(fs.readFileSync(expectedFile, "utf8"));
    });
  }

  it("has no orphaned .grad.ts files", () => {
    const generated: string[] = [];
    const visit = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) visit(full);
        else if (e.name.endsWith(".grad.ts")) generated.push(full);
      }
    };
    visit(fixturesDir);
    const orphans = generated.filter((g) => !fs.existsSync(g.replace(/\.grad\.ts$/, ".ts")));
    expect(orphans).toEqual([]);
  });

  it("generated modules (fixtures and the examples' checked-in ones) pass tsc --strict --noUnusedLocals --noUnusedParameters", () => {
    const examples = path.join(repoRoot, "examples");
    const checkedIn = fs
      .readdirSync(examples, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .flatMap((e) => fs.readdirSync(path.join(examples, e.name)).filter((f) => f.endsWith(".grad.ts")).map((f) => path.join(examples, e.name, f)));
    expect(checkedIn.length).toBeGreaterThan(5);
    const files = [...sources.map((s) => s.replace(/\.ts$/, ".grad.ts")).filter((f) => fs.existsSync(f)), ...checkedIn];
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2022.d.ts"],
      types: [],
      // Generated code declares nothing it does not use, so users' lint settings accept it.
      noUnusedLocals: true,
      noUnusedParameters: true,
      // Users' projects often add this to strict; generated code must pass with it as well.
      noUncheckedIndexedAccess: true,
      paths: { "tsgrad/runtime": [path.join(repoRoot, "runtime/index.ts")] },
    };
    const program = ts.createProgram(files, options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file ? `${path.relative(repoRoot, d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : "";
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
