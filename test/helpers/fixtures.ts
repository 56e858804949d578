/** Finding fixtures and reading their check points. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Arg } from "./gradcheck.js";
import type { CompileOptions } from "../../src/api-types.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const fixturesDir = path.join(repoRoot, "fixtures");

/** Every fixture source (`fixtures/**.ts` except generated and declaration files), sorted. */
export function fixtureSources(): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".grad.ts") && !e.name.endsWith(".d.ts")) out.push(full);
    }
  };
  visit(fixturesDir);
  return out;
}

/** The `/* check: {...} *\/` block of a fixture: points per function name. */
export function checkPoints(source: string): Record<string, Arg[][]> {
  const match = /\/\* check:\s*([\s\S]*?)\*\//.exec(source);
  if (!match) return {};
  return JSON.parse(match[1]!) as Record<string, Arg[][]>;
}

/**
 * The `/* options: {...} *\/` block of a fixture: compile options beyond the defaults (`{ "jacobian": true }`),
 * with which its .grad.ts is written.
 */
export function fixtureOptions(source: string): Partial<CompileOptions> {
  const match = /\/\* options:\s*([\s\S]*?)\*\//.exec(source);
  return match ? (JSON.parse(match[1]!) as Partial<CompileOptions>) : {};
}
