#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/src/cli/main.js (built by `npm run build`, run on install),
// bundled with the compiler into dist/src/cli/bundle.js (tools/bundle-cli.mjs), which starts faster.
import { existsSync, statSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";

const main = fileURLToPath(new URL("../dist/src/cli/main.js", import.meta.url));
const bundle = fileURLToPath(new URL("../dist/src/cli/bundle.js", import.meta.url));
if (!existsSync(main)) {
  process.stderr.write("tsgrad: the compiler is not built; run `npm run build` in the tsgrad package.\n");
  process.exit(2);
}
// (A bundle older than the modules, left by a build that stopped after tsc, is not used.)
const entry = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(main).mtimeMs ? bundle : main;
// Node 22.1+ keeps V8's compiled code of the modules between runs (on older Node,
// src/cli/load-typescript.ts does so for TypeScript, the bulk of it).
module.enableCompileCache?.();
// A reader that stops early (`tsgrad compile --help | head`) is not an error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}
const { main: run } = await import(new URL(`file://${entry}`).href);
process.exitCode = await run(process.argv);
