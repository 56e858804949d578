/** The web-ik example's parts that can be checked without a browser. */
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { exampleRoot, makeRepoFixture, removeDir, runtimeEntry } from "./helpers.js";

const armSource = path.join(exampleRoot, "src", "arm.ts");
const generated = compile({ fileName: armSource });
const dir = makeRepoFixture({}, "web-ik-check-");
afterAll(() => removeDir(dir));

function diagnosticsOf(program: ts.Program): string[] {
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n") + (d.file ? ` (${d.file.fileName})` : ""));
}

describe("web-ik example", () => {
  it("arm.ts compiles without diagnostics", () => {
    expect(generated.diagnostics).toEqual([]);
    expect(generated.functions).toEqual(["reachLoss"]);
  });

  it("arm.grad.d.ts declares exactly what tsgrad generates from arm.ts", () => {
    fs.writeFileSync(path.join(dir, "arm.grad.ts"), generated.code!);
    const declared = JSON.stringify(path.join(exampleRoot, "src", "arm.grad.js"));
    fs.writeFileSync(
      path.join(dir, "check.ts"),
      `import type * as generated from "./arm.grad.js";
import type * as declared from ${declared};
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const exportsMatch: Same<keyof typeof generated, keyof typeof declared> = true;
export const gradMatches: Same<typeof generated.reachLoss_grad, typeof declared.reachLoss_grad> = true;
export const jvpMatches: Same<typeof generated.reachLoss_jvp, typeof declared.reachLoss_jvp> = true;
`,
    );
    const program = ts.createProgram([path.join(dir, "check.ts")], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: [],
      skipLibCheck: true,
      paths: { "tsgrad/runtime": [runtimeEntry] },
    });
    expect(diagnosticsOf(program)).toEqual([]);
  });

  it("type-checks under its tsconfig.json", () => {
    const configFile = path.join(exampleRoot, "tsconfig.json");
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, exampleRoot);
    expect(parsed.errors).toEqual([]);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    expect(diagnosticsOf(program)).toEqual([]);
  });

  it("the solver brings the tip onto reachable targets with the generated gradient", async () => {
    const gradFile = path.join(dir, "arm.grad.ts");
    fs.writeFileSync(gradFile, generated.code!);
    const { reachLoss_grad } = (await import(pathToFileURL(gradFile).href)) as typeof import("../../examples/web-ik/src/arm.grad.js");
    const { reachLoss } = await import("../../examples/web-ik/src/arm.js");
    const { createSolver, solve, CONVERGED_LOSS } = await import("../../examples/web-ik/src/solver.js");

    // Targets anywhere in the workspace, in a fixed pseudo-random order; each starts from the
    // pose the previous one left (the pointer jumping around the page).
    let seed = 12345;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const solver = createSolver();
    for (let trial = 0; trial < 100; trial++) {
      const r = 0.2 + random() * 2.15;
      const angle = random() * 2 * Math.PI;
      const tx = r * Math.cos(angle);
      const ty = r * Math.sin(angle);
      let frames = 0;
      while (frames < 300) {
        solve(solver, tx, ty, 40, reachLoss_grad, reachLoss);
        frames++;
        if (solver.lastIterations === 0) break;
      }
      expect(solver.loss, `target (${tx}, ${ty})`).toBeLessThan(CONVERGED_LOSS * 10);
      expect(reachLoss(solver.t1, solver.t2, solver.t3, tx, ty)).toBeLessThan(1e-12);
    }
  });
});
