#!/usr/bin/env node
// `npm run bench [-- options]`: (1) compiles every bench/<workload>/objective.ts with the tsgrad CLI
// when it exists (timing each compile in a fresh process), (2) bundles bench/run.ts with esbuild
// into bench/.build/run.mjs, (3) runs it.
//
// Options handled here (everything else is passed to bench/run.ts, see `--help`):
//   --no-compile   do not run `tsgrad compile`; use whatever objective.grad.ts files exist
//   --build-only   bundle, do not run
//   --check-fresh  build the compiler first (`npm run build`), so that the generated code is
//                  what the sources compile to today, not what an older dist/ wrote
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const benchDir = dirname(fileURLToPath(import.meta.url));
const root = dirname(benchDir);
const buildDir = join(benchDir, ".build");
const workloads = ["gmm", "ba", "lstm", "spring", "particles", "mlp", "functional"];

/** Per-workload CLI flags: which functions the harness calls, which parameters are differentiated. */
const compileFlags = {
  gmm: ["--mode", "reverse", "--fn", "gmm_objective", "--wrt", "alphas", "--wrt", "means", "--wrt", "icf"],
  ba: ["--mode", "reverse", "--fn", "ba_reproj", "--fn", "ba_weight_error", "--wrt", "cam", "--wrt", "X", "--wrt", "w", "--jacobian"],
  lstm: ["--mode", "reverse", "--fn", "lstm_objective", "--wrt", "mainParams", "--wrt", "extraParams"],
  spring: ["--mode", "reverse", "--fn", "spring_loss", "--wrt", "v0"],
  particles: ["--mode", "reverse", "--fn", "simulate", "--fn", "simulateFlat", "--wrt", "initial", "--wrt", "x0", "--wrt", "v0", "--wrt", "masses"],
  mlp: ["--mode", "reverse", "--fn", "mlp_loss", "--wrt", "W1", "--wrt", "b1", "--wrt", "W2", "--wrt", "b2"],
  functional: ["--mode", "reverse", "--fn", "mlpLossFunctional", "--fn", "mlpLossLoop", "--wrt", "W1", "--wrt", "b1", "--wrt", "w2", "--wrt", "b2"],
};

const argv = process.argv.slice(2);
const noCompile = argv.includes("--no-compile");
const buildOnly = argv.includes("--build-only");
const checkFresh = argv.includes("--check-fresh");
const passArgs = argv.filter((a) => a !== "--no-compile" && a !== "--build-only" && a !== "--check-fresh");
const wantHelp = passArgs.includes("--help") || passArgs.includes("-h");
const onlyIdx = passArgs.indexOf("--only");
const only = onlyIdx >= 0 ? (passArgs[onlyIdx + 1] ?? "").split(",") : undefined;

mkdirSync(buildDir, { recursive: true });

// ---- 0. the compiler, built from the sources (--check-fresh) ----
if (checkFresh && !wantHelp) {
  process.stderr.write("npm run build (--check-fresh)\n");
  const b = spawnSync("npm", ["run", "build"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (b.status !== 0) {
    process.stderr.write("the compiler does not build: no benchmark run\n");
    process.exit(1);
  }
}

// ---- 1. tsgrad compile (cold, one process per objective) ----
const compileTimes = {};
const cli = join(root, "bin", "tsgrad.js");
if (!noCompile && !wantHelp && existsSync(cli)) {
  for (const w of workloads) {
    if (only && !only.some((p) => w.startsWith(p))) continue;
    const src = join("bench", w, "objective.ts");
    if (!existsSync(join(root, src))) continue;
    const args = [cli, "compile", src, ...compileFlags[w]];
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    const ms = performance.now() - t0;
    const ok = r.status === 0;
    compileTimes[w] = { ms, ok, status: r.status, command: `node ${relative(root, cli)} ${args.slice(1).join(" ")}` };
    const msg = `tsgrad compile ${src}: ${ok ? "ok" : `FAILED (exit ${r.status})`} in ${ms.toFixed(0)} ms`;
    process.stderr.write(msg + "\n");
    if (!ok) {
      const out = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
      compileTimes[w].output = out.slice(0, 4000);
      compileTimes[w].firstError = out.split("\n").find((l) => /error/i.test(l))?.trim() ?? out.split("\n")[0];
      process.stderr.write(out.split("\n").slice(0, 30).map((l) => "    " + l).join("\n") + "\n");
    }
  }
}
writeFileSync(join(buildDir, "compile-times.json"), JSON.stringify(compileTimes, null, 2));

// ---- 2. bundle ----
/** `bench-tsgrad:<workload>` is the generated module when bench/<workload>/objective.grad.ts exists, else empty. */
const tsgradModules = {
  name: "bench-tsgrad",
  setup(build) {
    build.onResolve({ filter: /^bench-tsgrad:/ }, (a) => {
      const w = a.path.slice("bench-tsgrad:".length);
      const file = join(benchDir, w, "objective.grad.ts");
      // A failed compile leaves no usable module (an older objective.grad.ts may still be there).
      if (existsSync(file) && compileTimes[w]?.ok !== false) return { path: file };
      return { path: w, namespace: "bench-tsgrad-missing" };
    });
    build.onLoad({ filter: /.*/, namespace: "bench-tsgrad-missing" }, () => ({
      contents: "export const __missing = true;",
      loader: "js",
    }));
  },
};

const banner = [
  // tfjs-core's node platform calls require() for built-ins.
  'import { createRequire as __benchCreateRequire } from "node:module";',
  "const require = __benchCreateRequire(import.meta.url);",
  // jax-js on Node 20: it reads navigator.userAgent and references Float16Array (absent before
  // Node 22). The benchmark never creates float16 arrays, so a Float32Array subclass suffices.
  'globalThis.navigator ??= { userAgent: "Node.js", hardwareConcurrency: 1 };',
  "globalThis.Float16Array ??= class Float16Array extends Float32Array {};",
].join("\n");

try {
  await esbuild.build({
    entryPoints: [join(benchDir, "run.ts")],
    outfile: join(buildDir, "run.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    // ESM entry points everywhere, so that tfjs-core, tfjs-backend-cpu and
    // tfjs-core/dist/register_all_gradients share ONE copy of the core.
    mainFields: ["module", "main"],
    alias: { "tsgrad/runtime": join(root, "runtime", "index.ts") },
    plugins: [tsgradModules],
    banner: { js: banner },
    sourcemap: "linked",
    logLevel: "warning",
    legalComments: "none",
  });
} catch {
  process.exit(1);
}
if (buildOnly) process.exit(0);

// ---- 3. run ----
// (Library methods run in worker threads with their own, larger stack: see runPeer in run.ts.)
const r = spawnSync(process.execPath, [join(buildDir, "run.mjs"), ...passArgs], {
  cwd: root,
  stdio: "inherit",
});
process.exit(r.status ?? 1);
