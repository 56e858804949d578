#!/usr/bin/env node
// `node tools/gradbench/build.mjs [outfile]`: the GradBench tool as one JavaScript file for plain
// Node (default tools/gradbench/dist/run.mjs), with the generated modules and the runtime in it.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

export async function buildTool(outfile = path.join(here, "dist", "run.mjs")) {
  await build({
    entryPoints: [path.join(here, "run.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "error",
    alias: { "tsgrad/runtime": path.join(root, "runtime", "index.ts") },
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`wrote ${path.relative(process.cwd(), await buildTool(process.argv[2]))}`);
