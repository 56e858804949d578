#!/usr/bin/env node
// The second step of `npm run build`, after tsc: bundles the command line (dist/src/cli/main.js
// and the compiler modules it loads) into dist/src/cli/bundle.js, which bin/tsgrad.js starts.
// One file to load instead of about ninety modules, and every `import ts from "typescript"` of
// the compiler replaced by dist/src/cli/load-typescript.js, which requires TypeScript as
// CommonJS with V8's code cache (see src/cli/load-typescript.ts for why). The bundle sits beside
// main.js, so that the paths the compiler finds from its own location (the runtime's files) are
// the same. Packages other than TypeScript (commander) stay imports.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const cliDir = path.join(root, "dist", "src", "cli");
const loader = path.join(cliDir, "load-typescript.js");

await build({
  entryPoints: [path.join(cliDir, "main.js")],
  outfile: path.join(cliDir, "bundle.js"),
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  plugins: [
    {
      name: "typescript-as-commonjs",
      setup(b) {
        b.onResolve({ filter: /^typescript$/ }, (args) => (args.importer === loader ? undefined : { path: loader }));
      },
    },
  ],
});
