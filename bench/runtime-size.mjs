#!/usr/bin/env node
// `node bench/runtime-size.mjs`: how much of a browser bundle the runtime takes, for one
// generated module (examples/mlp: matvec, softmax-free MLP with the tape) and for one that
// uses no kernel (examples/robot-arm), bundled by esbuild for the browser, minified, with
// tree shaking: the runtime's share of the bundle, minified and gzipped, importing
// `tsgrad/runtime` and with --runtime inline. Prints a table.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(here, ".build/runtime-size");
fs.mkdirSync(out, { recursive: true });

const cases = [
  { name: "mlp (loss_grad)", source: "examples/mlp/model.ts", entry: "loss_grad" },
  { name: "robot arm (tip_vjp)", source: "examples/robot-arm/model.ts", entry: "tip_vjp" },
];
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
// The whole runtime, minified, for comparison: what tree shaking leaves out.
const whole = await build({ stdin: { contents: 'export * from "tsgrad/runtime";', resolveDir: root, loader: "ts" }, bundle: true, minify: true, write: false, format: "esm", platform: "browser", logLevel: "error", alias: { "tsgrad/runtime": path.join(root, "runtime/index.ts") } });
const runtimeNames = new Set([...fs.readFileSync(path.join(root, "runtime/kernels.ts"), "utf8").matchAll(/^export function (\w+)/gm)].map((m) => m[1]).concat(["Tape", "tape"]));
console.log(`The whole runtime (${runtimeNames.size} exports), minified: ${kb(whole.outputFiles[0].contents.length)}, gzipped ${kb(gzipSync(whole.outputFiles[0].contents).length)}.\n`);
console.log("| module | runtime | bundle (min) | bundle (min+gz) | runtime's part (min) | runtime code kept |");
console.log("|---|---|---:|---:|---:|---|");
for (const c of cases) {
  for (const runtime of ["import", "inline"]) {
    const generated = path.join(out, `${path.basename(path.dirname(c.source))}-${runtime}.grad.ts`);
    execFileSync(process.execPath, [path.join(root, "bin/tsgrad.js"), "compile", c.source, "--runtime", runtime, "-o", generated], { cwd: root, stdio: "ignore" });
    const entry = path.join(out, `entry-${path.basename(generated, ".ts")}.ts`);
    fs.writeFileSync(entry, `import { ${c.entry} } from "./${path.basename(generated, ".ts")}";\n(globalThis as { f?: unknown }).f = ${c.entry};\n`);
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      write: false,
      format: "esm",
      platform: "browser",
      metafile: true,
      logLevel: "error",
      alias: { "tsgrad/runtime": path.join(root, "runtime/index.ts") },
    });
    const code = result.outputFiles[0].contents;
    const inputs = Object.values(result.metafile.outputs)[0].inputs;
    const runtimeBytes = Object.entries(inputs)
      .filter(([file]) => file.includes("runtime/"))
      .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
    // What the module takes from the runtime: the names it imports, or the functions it carries.
    const module = fs.readFileSync(generated, "utf8");
    const kept = runtime === "import" ? (/import \{([^}]*)\} from "tsgrad\/runtime"/.exec(module)?.[1] ?? "").split(",").map((n) => n.trim()).filter(Boolean) : [...module.matchAll(/^(?:function|class|const) (\w+)/gm)].map((m) => m[1]).filter((n) => runtimeNames.has(n));
    console.log(`| ${c.name} | ${runtime} | ${kb(code.length)} | ${kb(gzipSync(code).length)} | ${runtime === "import" ? kb(runtimeBytes) : "(in the module)"} | ${kept.join(", ") || "none"} |`);
  }
}
