#!/usr/bin/env node
// `npm run fuzz -- --count 100000 --seed S`: bundles the fuzzer (test/fuzz/main.ts, the compiler
// from src/ and the runtime from runtime/, as sources) with esbuild into .tmp/fuzz/, then runs it.
// Arguments are passed through; see `npm run fuzz -- --help`.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
// One bundle per run, so that concurrent runs (and workers respawned late) never mix versions.
const outfile = path.join(root, `.tmp/fuzz/main-${process.pid}.mjs`);

// The compiler finds runtime/index.ts relative to its own module (import.meta.url); in a bundle
// that would be the bundle's URL, so each source file gets its original URL instead.
const originalUrls = {
  name: "original-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /[\\/](src|runtime)[\\/].*\.ts$/ }, async (args) => {
      const fs = await import("node:fs/promises");
      const text = await fs.readFile(args.path, "utf8");
      return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
    });
  },
};

await build({
  entryPoints: [path.join(here, "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "inline",
  external: ["typescript", "esbuild", "vitest", "commander"],
  plugins: [originalUrls],
  logLevel: "warning",
});
const fs = await import("node:fs");
process.on("exit", () => fs.rmSync(outfile, { force: true }));
await import(pathToFileURL(outfile).href);
