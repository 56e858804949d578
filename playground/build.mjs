#!/usr/bin/env node
// `node playground/build.mjs`: the playground as static files in playground/dist (index.html and
// one script with the compiler, TypeScript, its library files and tsgrad's runtime sources).
// Open dist/index.html in a browser, or serve the directory.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");

/** The files the compiler reads, at the paths the in-memory tree gives them. */
export function bundledFiles() {
  const out = {};
  const libDir = path.join(root, "node_modules", "typescript", "lib");
  for (const name of fs.readdirSync(libDir)) {
    if (/^lib\.(es\d+|es5|esnext|decorators)[\w.]*\.d\.ts$/.test(name) || name === "lib.es2022.d.ts") out[`/ts/lib/${name}`] = fs.readFileSync(path.join(libDir, name), "utf8");
  }
  for (const name of ["index.ts", "tape.ts", "kernels.ts"]) out[`/tsgrad/runtime/${name}`] = fs.readFileSync(path.join(root, "runtime", name), "utf8");
  return out;
}

export async function buildPlayground(outDir = path.join(here, "dist")) {
  fs.mkdirSync(path.join(here, ".build"), { recursive: true });
  fs.writeFileSync(path.join(here, ".build", "files.json"), JSON.stringify(bundledFiles()));
  fs.mkdirSync(outDir, { recursive: true });
  const shim = (name) => path.join(here, "shims", `${name}.ts`);
  await build({
    entryPoints: [path.join(here, "main.ts")],
    outfile: path.join(outDir, "playground.js"),
    bundle: true,
    format: "iife",
    platform: "browser",
    target: "es2022",
    minify: true,
    logLevel: "error",
    alias: { "node:fs": shim("fs"), "node:path": shim("path"), "node:url": shim("url"), fs: shim("fs"), path: shim("path") },
    // TypeScript's Node system (never run here) requires these.
    external: ["os", "crypto", "perf_hooks", "inspector", "buffer", "source-map-support", "node:os", "node:module"],
  });
  fs.copyFileSync(path.join(here, "index.html"), path.join(outDir, "index.html"));
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildPlayground();
  const size = fs.statSync(path.join(out, "playground.js")).size;
  console.log(`wrote ${path.relative(process.cwd(), out)}/index.html and playground.js (${(size / 2 ** 20).toFixed(1)} MiB)`);
}
