#!/usr/bin/env node
// `node tools/gradbench/compile-models.mjs [--check]`: runs tsgrad on every model of the tool
// (models/*.ts) with the flags its first line names (`// compile: tsgrad compile NAME.ts FLAGS`),
// writing NAME.grad.ts beside it, or, with --check, failing when a checked-in one is stale.
// Needs the compiler built (`npm run build`).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsgrad = path.resolve(here, "../../bin/tsgrad.js");

/** The models and the tsgrad flags each one's first line names. */
export function modelsToCompile() {
  const dir = path.join(here, "models");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".grad.ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const match = /^\/\/ compile: tsgrad compile (\S+)(.*)$/m.exec(readFileSync(file, "utf8").split("\n")[0]);
      if (!match || match[1] !== f) throw new Error(`${file}: the first line must be "// compile: tsgrad compile ${f} [flags]"`);
      return { file, flags: match[2].trim().split(/\s+/).filter(Boolean) };
    });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const extra = process.argv.slice(2);
  let failed = false;
  for (const { file, flags } of modelsToCompile()) {
    const run = spawnSync(process.execPath, [tsgrad, "compile", file, ...flags, ...extra], { stdio: "inherit" });
    failed ||= run.status !== 0;
  }
  process.exit(failed ? 1 : 0);
}
