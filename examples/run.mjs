#!/usr/bin/env node
// Runs the examples: `node examples/run.mjs` runs all of them, `node examples/run.mjs mlp
// char-rnn` the ones named. `CI=true` runs the reduced sizes.
//
// An example is a directory here with a `main.ts` (the program) beside its `model.ts` (the
// objective) and the checked-in `model.grad.ts` tsgrad generated from it. Each `main.ts` is
// bundled with esbuild and run in its own Node process; its exit status says whether it reached
// the result its README states (the `result:` lines it prints). Nothing needs to be built first:
// inside this repository "tsgrad/runtime" is the runtime's source.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));

function discover() {
  return fs
    .readdirSync(here, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(here, e.name, "main.ts")))
    .map((e) => e.name)
    .sort();
}

/** Bundles examples/<name>/main.ts and runs it in this process. */
async function runOne(name) {
  const entry = path.join(here, name, "main.ts");
  let result;
  try {
    result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      logLevel: "warning",
      // Inside this repository the runtime is its source; an installed tsgrad resolves on its own.
      alias: { "tsgrad/runtime": path.join(here, "../runtime/index.ts") },
      // Data files are found relative to main.ts, wherever the bundle runs from.
      define: { "import.meta.url": JSON.stringify(pathToFileURL(entry).href) },
    });
  } catch {
    process.exit(1); // esbuild has printed the errors
  }
  const file = path.join(os.tmpdir(), `tsgrad-example-${name}-${process.pid}.mjs`);
  fs.writeFileSync(file, result.outputFiles[0].text);
  process.setSourceMapsEnabled(true);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** Runs each example in a child process, echoing its output, and prints a summary. */
async function runAll(names) {
  const rows = [];
  for (const name of names) {
    console.log(`\n=== ${name} ${"=".repeat(Math.max(0, 60 - name.length))}`);
    const start = performance.now();
    const results = [];
    const code = await new Promise((resolve) => {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: ["ignore", "pipe", "inherit"] });
      let pending = "";
      child.stdout.on("data", (chunk) => {
        process.stdout.write(chunk);
        pending += chunk.toString();
        const lines = pending.split("\n");
        pending = lines.pop();
        for (const line of lines) if (line.startsWith("result: ")) results.push(line.slice(8));
      });
      child.on("close", (status) => resolve(status ?? 1));
    });
    const seconds = (performance.now() - start) / 1000;
    rows.push({ name, seconds, ok: code === 0 && results.length > 0, results });
  }
  console.log(`\n=== summary${process.env.CI === "true" || process.env.CI === "1" ? " (reduced sizes, CI=true)" : ""}`);
  for (const row of rows) {
    console.log(`${row.ok ? "ok    " : "FAILED"} ${row.name.padEnd(18)} ${row.seconds.toFixed(1).padStart(5)} s`);
    for (const r of row.results) console.log(`         ${r}`);
  }
  if (rows.some((r) => !r.ok)) process.exitCode = 1;
}

const known = discover();
const requested = process.argv.slice(2);
for (const name of requested) {
  if (!known.includes(name)) {
    console.error(`run.mjs: no example '${name}' (known: ${known.join(", ")})`);
    process.exit(2);
  }
}
if (requested.length === 1) await runOne(requested[0]);
else await runAll(requested.length > 0 ? requested : known);
