#!/usr/bin/env node
// `node bench/checkpoint.mjs`: compiles bench/checkpoint/model.ts three times into
// bench/.build/checkpoint/ (as it is, with its loop checkpointed; without the directive, every
// step recorded; without it and with --tape-budget 16MB), bundles bench/checkpoint/run.ts with esbuild and runs it: a table of tape
// memory and gradient time for 10^4 to 10^6 steps.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(here, ".build/checkpoint");
fs.mkdirSync(out, { recursive: true });
const model = path.join(here, "checkpoint/model.ts");
const withoutDirective = path.join(out, "full.ts");
fs.writeFileSync(withoutDirective, fs.readFileSync(model, "utf8").replace(/^\s*\/\/ tsgrad: checkpoint\n/m, ""));
const tsgrad = (args) => execFileSync(process.execPath, [path.join(root, "bin/tsgrad.js"), "compile", ...args], { stdio: "inherit" });
tsgrad([model, "--mode", "reverse", "-o", path.join(out, "checkpointed.grad.ts")]);
tsgrad([withoutDirective, "--mode", "reverse", "-o", path.join(out, "full.grad.ts")]);
tsgrad([withoutDirective, "--mode", "reverse", "--tape-budget", "16MB", "-o", path.join(out, "budget.grad.ts")]);
const bundle = path.join(out, "run.mjs");
await build({ entryPoints: [path.join(here, "checkpoint/run.ts")], outfile: bundle, bundle: true, platform: "node", format: "esm", logLevel: "error", alias: { "tsgrad/runtime": path.join(root, "runtime/index.ts") } });
execFileSync(process.execPath, ["--max-old-space-size=8192", bundle], { stdio: "inherit" });
