/**
 * Comments of the source above the statements generated code reproduces (fixtures/comments.ts):
 * in every function that reproduces the statement, once per function, never in reverse sweeps.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { fixturesDir } from "./helpers/fixtures.js";

const source = path.join(fixturesDir, "comments.ts");
const code = compile({ fileName: source, sourceText: fs.readFileSync(source, "utf8") }).code!;

/** The text of each generated function, by name. */
function functions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of code.matchAll(/^(?:export )?function (\w+)\([^]*?^}$/gm)) out.set(m[1]!, m[0]);
  return out;
}

const count = (text: string, line: string) => text.split("\n").filter((l) => l.trim() === line).length;

describe("source comments", () => {
  const fns = functions();

  it("are printed above the statements of the forward sweep and of f_jvp, once per function", () => {
    for (const name of ["energy_grad_into", "energy_jvp"]) {
      const text = fns.get(name)!;
      expect(text, name).toBeDefined();
      for (const line of ["// Potential of the spring.", "// Each contact adds a smooth |x - k y|.", "// Soft cap.", "// The energy.", "* a block comment over several lines."]) {
        expect(count(text, line), `${name}: ${line}`).toBe(1);
      }
      // Comments are placed before the statement they describe.
      expect(text.indexOf("// Potential of the spring.")).toBeLessThan(text.indexOf("const stretch = x - 2 * y;"));
    }
  });

  it("appear in a helper's forward and tangent routines, not in its reverse routine, nor in the reverse sweep", () => {
    expect(count(fns.get("smoothAbs_forward_x")!, "// Two damping steps, so that the helper is not inlined.")).toBe(1);
    expect(count(fns.get("smoothAbs_tangent_x")!, "// Two damping steps, so that the helper is not inlined.")).toBe(1);
    expect(fns.get("smoothAbs_reverse_x")).not.toContain("// Two damping");
    const into = fns.get("energy_grad_into")!;
    expect(into.slice(into.indexOf("// Reverse sweep."))).not.toMatch(/\/\/ (Soft cap|Each contact|The energy)/);
  });

  it("do not include trailing comments", () => {
    expect(code).not.toContain("a trailing comment");
  });
});
