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

/**
 * The models and the tsgrad flags each one's first line names, in name order except that a model
 * importing another's generated module (`from "./charges.grad.js"`: nested differentiation) comes
 * after that one, whose module it needs.
 */
export function modelsToCompile() {
  const dir = path.join(here, "models");
  const models = readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".grad.ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const text = readFileSync(file, "utf8");
      const match = /^\/\/ compile: tsgrad compile (\S+)(.*)$/m.exec(text.split("\n")[0]);
      if (!match || match[1] !== f) throw new Error(`${file}: the first line must be "// compile: tsgrad compile ${f} [flags]"`);
      const needs = [...text.matchAll(/from "\.\/([\w.-]+)\.grad(?:\.js|\.ts)?"/g)].map((m) => `${m[1]}.ts`);
      return { name: f, file, flags: match[2].trim().split(/\s+/).filter(Boolean), needs };
    });
  const ordered = [];
  const visit = (model, path) => {
    if (ordered.includes(model)) return;
    if (path.includes(model)) throw new Error(`models import each other's generated modules: ${[...path, model].map((m) => m.name).join(" -> ")}`);
    for (const name of model.needs) {
      const needed = models.find((m) => m.name === name);
      if (needed) visit(needed, [...path, model]);
    }
    ordered.push(model);
  };
  for (const model of models) visit(model, []);
  return ordered.map(({ file, flags }) => ({ file, flags }));
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
