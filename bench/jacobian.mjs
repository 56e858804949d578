#!/usr/bin/env node
// `node bench/jacobian.mjs`: compiles the bundle-adjustment and robot-arm examples with
// --jacobian (mode both, which takes their Jacobians by rows, and --mode forward, by columns)
// into bench/.build/jacobian/, bundles bench/jacobian/run.ts with esbuild and runs it: a table of
// the vector-mode f_jacobian's time against the way f_jacobian worked before (one f_vjp_into per
// row, or one f_jvp per column, written out by hand in run.ts), interleaved, after checking that
// both give the same Jacobian; and by rows the sweeps alone (f_vjp2_into against two f_vjp_into,
// into buffers the caller owns, as a solver assembling its Jacobian blocks calls them).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(here, ".build/jacobian");
const tsgrad = (args) => execFileSync(process.execPath, [path.join(root, "bin/tsgrad.js"), "compile", ...args], { stdio: "inherit" });
for (const [example, name] of [["bundle-adjustment", "ba"], ["robot-arm", "arm"]]) {
  const source = `examples/${example}/model.ts`;
  const rows = path.join(out, `${name}.grad.ts`);
  tsgrad([source, "--jacobian", "-o", rows]);
  tsgrad([source, "--jacobian", "--mode", "forward", "-o", path.join(out, `${name}-forward.grad.ts`)]);
}
// ADBench's residual as bench/ba writes it, on Float64Arrays: a numeric-array result, whose two rows f_jacobian takes as a pair.
tsgrad(["bench/ba/objective.ts", "--jacobian", "--fn", "ba_reproj", "--wrt", "cam", "--wrt", "X", "--wrt", "w", "-o", path.join(out, "ba-arrays.grad.ts")]);
const bundle = path.join(out, "run.mjs");
await build({ entryPoints: [path.join(here, "jacobian/run.ts")], outfile: bundle, bundle: true, platform: "node", format: "esm", logLevel: "error", alias: { "tsgrad/runtime": path.join(root, "runtime/index.ts") } });
execFileSync(process.execPath, [bundle, ...process.argv.slice(2)], { stdio: "inherit" });
