#!/usr/bin/env node
// `node bench/second-order.mjs`: compiles bench/gmm and bench/lstm with --hvp into
// bench/.build/second-order/, bundles bench/second-order/run.ts with esbuild and runs it: a table
// of f_hvp / f_grad time ratios (interleaved), after checking f_hvp against finite differences.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(here, ".build/second-order");
const tsgrad = (args) => execFileSync(process.execPath, [path.join(root, "bin/tsgrad.js"), "compile", ...args], { stdio: "inherit" });
tsgrad(["bench/gmm/objective.ts", "--hvp", "--wrt", "alphas", "--wrt", "means", "--wrt", "icf", "-o", path.join(out, "gmm.grad.ts")]);
tsgrad(["bench/lstm/objective.ts", "--hvp", "--wrt", "mainParams", "--wrt", "extraParams", "-o", path.join(out, "lstm.grad.ts")]);
const bundle = path.join(out, "run.mjs");
await build({ entryPoints: [path.join(here, "second-order/run.ts")], outfile: bundle, bundle: true, platform: "node", format: "esm", logLevel: "error", alias: { "tsgrad/runtime": path.join(root, "runtime/index.ts") } });
execFileSync(process.execPath, [bundle], { stdio: "inherit" });
