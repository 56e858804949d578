/**
 * The examples under examples/ as CI runs them: each one at its reduced size (CI=true) through
 * the shared runner, in its own process, and the result it states must be reached: exit status
 * 0 and every `result:` line within its bound. Also: every example has its README, model,
 * checked-in gradient module and program, the gradient modules are fresh (`tsgrad compile
 * --check`, run in process), and the examples type-check (`tsc -p examples`, through the
 * TypeScript API in process).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { repoRoot } from "../helpers/fixtures.js";

const examplesDir = path.join(repoRoot, "examples");
const examples = fs
  .readdirSync(examplesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && fs.existsSync(path.join(examplesDir, e.name, "main.ts")))
  .map((e) => e.name)
  .sort();

function run(name: string): Promise<{ status: number | null; stdout: string; stderr: string; seconds: number }> {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(process.execPath, [path.join(examplesDir, "run.mjs"), name], {
      cwd: repoRoot,
      env: { ...process.env, CI: "true" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr, seconds: (performance.now() - start) / 1000 }));
  });
}

const RESULT = /^result: (.+) = (\S+) \(required (<=|>=) (\S+)\) (ok|FAILED)$/gm;

describe("examples", () => {
  it("are the five applications, each with README.md, model.ts, model.grad.ts and main.ts", () => {
    expect(examples).toEqual(["bundle-adjustment", "char-rnn", "curve-fit", "mlp", "robot-arm"]);
    for (const name of examples) {
      for (const file of ["README.md", "model.ts", "model.grad.ts", "main.ts"]) {
        expect(fs.existsSync(path.join(examplesDir, name, file)), `${name}/${file}`).toBe(true);
      }
      // The program uses the checked-in gradient module, not a build-time one.
      expect(fs.readFileSync(path.join(examplesDir, name, "main.ts"), "utf8")).toMatch(/from "\.\/model\.grad\.js"/);
    }
  });

  it("have fresh checked-in gradient modules (tsgrad compile --check)", async () => {
    const models = [path.join("examples", "quickstart", "rosenbrock.ts"), ...examples.map((name) => path.join("examples", name, "model.ts"))];
    const r = await runCli(["compile", "--check", ...models], repoRoot);
    expect(r.stderr, "run `node bin/tsgrad.js compile examples/*/model.ts` and commit the result").toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
  });

  it("type-check under tsc --strict (examples/tsconfig.json), generated modules included", () => {
    // What `tsc -p examples` reports (the config sets noEmit): configuration errors, then the
    // program's syntactic, semantic and global diagnostics.
    const configFile = path.join(examplesDir, "tsconfig.json");
    const read = ts.readConfigFile(configFile, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, examplesDir, undefined, configFile);
    expect(parsed.options.noEmit).toBe(true);
    expect(parsed.fileNames.some((f) => f.endsWith("model.grad.ts"))).toBe(true);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
    const diagnostics = [...(read.error ? [read.error] : []), ...parsed.errors, ...ts.getPreEmitDiagnostics(program)];
    const host: ts.FormatDiagnosticsHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repoRoot, getNewLine: () => "\n" };
    expect(ts.formatDiagnostics(diagnostics, host)).toBe("");
  });

  for (const name of examples) {
    it(`${name} reaches its stated result at the reduced size (CI=true)`, async () => {
      const r = await run(name);
      const results = [...r.stdout.matchAll(RESULT)];
      expect(r.stderr).toBe("");
      expect(results.length, `${name} printed no result line:\n${r.stdout}`).toBeGreaterThan(0);
      for (const [line, what, value, op, bound, verdict] of results) {
        const v = Number(value);
        const b = Number(bound);
        expect(Number.isFinite(v), line).toBe(true);
        expect(op === "<=" ? v <= b : v >= b, `${name}: ${what} = ${value}, required ${op} ${bound}`).toBe(true);
        expect(verdict, line).toBe("ok");
      }
      expect(r.status, r.stdout).toBe(0);
      console.log(`${name}: ${r.seconds.toFixed(1)} s; ${results.map((m) => `${m[1]} = ${m[2]}`).join("; ")}`);
    });
  }
});
