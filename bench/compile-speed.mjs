#!/usr/bin/env node
// How long `tsgrad compile` takes, against the targets of issue 15 ("Performance, round two"):
//
//   (a) cold: `node bin/tsgrad.js compile FILE` in a fresh process, for a few ~100-line models
//       (target: under 1 s), and where that time goes;
//   (b) a directory of 20 model files compiled by one `tsgrad compile DIR` process;
//   (c) warm: a bundler plugin's rebuild after an edit of the model file (target: under 50 ms).
//
//   node bench/compile-speed.mjs                   # all three; this checkout's compiler (npm run build first)
//   node bench/compile-speed.mjs --parts cold,dir  # some of them: cold, dir, warm
//   node bench/compile-speed.mjs --runs 9          # samples per measurement (default 7; phases: --phase-runs, default 3)
//   node bench/compile-speed.mjs --only gmm        # cold: only the models whose path contains the text
//   node bench/compile-speed.mjs --against DIR     # also the compiler built in checkout DIR, samples interleaved (A/B)
//   node bench/compile-speed.mjs --json            # one JSON object instead of the tables
//
// Times are wall clock: the targets are about waiting. On a busy machine they drift, so every
// round takes one sample of each compiler (and of each setting), the order alternating between
// rounds, and the tables give medians with the range. Run on demand; no test asserts a time.
// The sources are always this checkout's; generated files go to bench/.build/compile-speed/.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { builtCompiler, median, option, repo } from "./compile-common.mjs";

const args = process.argv.slice(2);

/** The module bin/tsgrad.js starts: the bundled CLI when it is built and current, else dist/src/cli/main.js. */
function cliEntry(root) {
  const main = path.join(root, "dist", "src", "cli", "main.js");
  const bundle = path.join(root, "dist", "src", "cli", "bundle.js");
  return fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= fs.statSync(main).mtimeMs ? bundle : main;
}

// ---- child process: one CLI run, its time split into phases ----
//
// node bench/compile-speed.mjs --child-phases ROOT -- compile FILE -o OUT
// The CLI of the compiler in ROOT runs as bin/tsgrad.js runs it, except that its modules are
// loaded one group at a time and TypeScript's own performance counters are on. Prints JSON.
if (args[0] === "--child-phases") {
  const root = args[1];
  const cliArgs = args.slice(args.indexOf("--") + 1);
  const t = { start: performance.now() }; // Node's start-up: performance.timeOrigin is the process start
  let last = t.start;
  const lap = (name) => {
    const now = performance.now();
    t[name] = now - last;
    last = now;
  };
  const { main } = await import(pathToFileURL(cliEntry(root)).href);
  lap("cli");
  // TypeScript, loaded as this compiler loads it: through its loader when it has one, else
  // imported as an ES module.
  const loader = path.join(root, "dist", "src", "cli", "load-typescript.js");
  if (fs.existsSync(loader)) await import(pathToFileURL(loader).href);
  else await import(pathToFileURL(createRequire(path.join(root, "package.json")).resolve("typescript")).href);
  lap("typescript");
  // The compiler's modules (in the bundle, already loaded with the CLI).
  if (!cliEntry(root).endsWith("bundle.js")) await import(pathToFileURL(path.join(root, "dist", "src", "cli", "compile-command.js")).href);
  lap("compiler");
  const ts = createRequire(path.join(root, "package.json"))("typescript");
  ts.performance.enable();
  const status = await main(["node", "tsgrad", ...cliArgs], { out: () => {}, err: (s) => process.stderr.write(`${s}\n`), cwd: process.cwd() });
  lap("main");
  const d = (name) => ts.performance.getDuration(name);
  const phases = {
    parse: d("Parse"),
    program: d("Program") - d("Parse"),
    bind: d("Bind"),
    check: d("Check"),
    programs: ts.performance.getCount("beforeProgram"),
  };
  process.stdout.write(JSON.stringify({ status, ...t, ...phases, end: performance.now() }));
  process.exit(0);
}

// ---- the benchmark ----

const runs = Number(option(args, "--runs") ?? 7);
const phaseRuns = Number(option(args, "--phase-runs") ?? 3);
const parts = (option(args, "--parts") ?? "cold,dir,warm").split(",");
const only = option(args, "--only");
const json = args.includes("--json");
const compilers = [{ label: "A", root: builtCompiler(repo) }];
if (option(args, "--against")) compilers.push({ label: "B", root: builtCompiler(option(args, "--against")) });
const work = path.join(repo, "bench", ".build", "compile-speed");
fs.rmSync(work, { recursive: true, force: true });
for (const c of compilers) fs.mkdirSync(path.join(work, c.label), { recursive: true });

const COLD_MODELS = [
  "bench/gmm/objective.ts",
  "bench/particles/objective.ts",
  "bench/ba/objective.ts",
  "examples/bundle-adjustment/model.ts",
  "examples/char-rnn/model.ts",
  // The floor: no tsconfig.json applies, so no @types/node, only lib.es2022.
  "examples/quickstart/rosenbrock.ts",
];

/** The 20 files of part (b): the bench objectives and example models, and fixtures of their length. */
const DIR_MODELS = [
  ...["ba", "functional", "gmm", "lstm", "mlp", "particles", "spring"].map((w) => [`bench/${w}/objective.ts`, `bench-${w}.ts`]),
  ...["bundle-adjustment", "char-rnn", "curve-fit", "mlp", "robot-arm"].map((e) => [`examples/${e}/model.ts`, `example-${e}.ts`]),
  ...["declarations", "for-of", "higher-order", "inactive-results", "loops", "out-parameters", "reassigned-arrays", "structures"].map((f) => [`fixtures/${f}.ts`, `fixture-${f}.ts`]),
];

/** A project directory as bench/ and examples/ have: its tsconfig.json brings @types/node, as most Node projects' do. */
function writeProject(dir, files) {
  fs.mkdirSync(dir, { recursive: true });
  const runtime = path.relative(dir, path.join(repo, "runtime", "index.ts"));
  const tsconfig = {
    compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2022"], types: ["node"], strict: true, skipLibCheck: true, noEmit: true, allowImportingTsExtensions: true, paths: { "tsgrad/runtime": [runtime] } },
    include: ["*.ts"],
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

/** Wall-clock milliseconds of `node ARGS` (in this checkout); throws when it fails. */
function timeNode(nodeArgs) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, nodeArgs, { cwd: repo, encoding: "utf8" });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${nodeArgs.join(" ")} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`.slice(0, 3000));
  return { ms, stdout: r.stdout };
}

/** `rounds` rounds; each calls every sampler once, the order reversed on odd rounds. */
async function interleaved(rounds, samplers) {
  const out = samplers.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const order = samplers.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) out[i].push(await samplers[i]());
  }
  return out;
}

const summary = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs });
const cli = (c) => path.join(c.root, "bin", "tsgrad.js");
const result = { node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg()[0], runs, compilers: compilers.map((c) => ({ label: c.label, root: c.root, entry: path.relative(c.root, cliEntry(c.root)) })) };

// (a) Cold compiles.
if (parts.includes("cold")) {
  const models = COLD_MODELS.filter((m) => !only || m.includes(only));
  result.cold = [];
  for (const model of models) {
    const out = (c) => path.join(work, c.label, "cold", path.basename(path.dirname(model)) + ".grad.ts");
    const walls = await interleaved(
      runs,
      compilers.map((c) => () => timeNode([cli(c), "compile", model, "-o", out(c)]).ms),
    );
    const phaseSamples = await interleaved(
      phaseRuns,
      compilers.map((c) => () => {
        const { ms, stdout } = timeNode([path.join(repo, "bench", "compile-speed.mjs"), "--child-phases", c.root, "--", "compile", model, "-o", out(c)]);
        const p = JSON.parse(stdout);
        return { ...p, exit: ms - p.end, wall: ms };
      }),
    );
    result.cold.push({ model, byCompiler: compilers.map((c, i) => ({ label: c.label, wall: summary(walls[i]), phases: medianPhases(phaseSamples[i]) })) });
  }
}

function medianPhases(samples) {
  const out = {};
  for (const key of Object.keys(samples[0])) if (typeof samples[0][key] === "number") out[key] = median(samples.map((s) => s[key]));
  // What the phases above do not cover: tsgrad's own work (lowering, AD, emit, tidy, the
  // checker's answers to it) and writing the output, in the CLI's main().
  out.tsgrad = median(samples.map((s) => s.main - s.program - s.parse - s.bind - s.check));
  return out;
}

// (b) A directory of 20 models, one process.
if (parts.includes("dir")) {
  const byCompiler = [];
  for (const c of compilers) {
    const dir = path.join(work, c.label, "models");
    writeProject(dir, Object.fromEntries(DIR_MODELS.map(([from, to]) => [to, fs.readFileSync(path.join(repo, from), "utf8")])));
    byCompiler.push({ c, dir, first: path.join(dir, DIR_MODELS[0][1]), out: path.join(work, c.label, "models-out") });
  }
  const samples = await interleaved(
    runs,
    byCompiler.flatMap((b) => [() => timeNode([cli(b.c), "compile", b.dir, "--out-dir", b.out]).ms, () => timeNode([cli(b.c), "compile", b.first, "--out-dir", b.out]).ms]),
  );
  const phaseSamples = await interleaved(
    phaseRuns,
    byCompiler.map((b) => () => {
      const { ms, stdout } = timeNode([path.join(repo, "bench", "compile-speed.mjs"), "--child-phases", b.c.root, "--", "compile", b.dir, "--out-dir", b.out]);
      const p = JSON.parse(stdout);
      return { ...p, exit: ms - p.end, wall: ms };
    }),
  );
  result.dir = byCompiler.map((b, i) => {
    const total = summary(samples[2 * i]);
    const single = summary(samples[2 * i + 1]);
    return { label: b.c.label, files: DIR_MODELS.length, total, single, marginal: (total.median - single.median) / (DIR_MODELS.length - 1), phases: medianPhases(phaseSamples[i]) };
  });
}

// (c) Warm rebuilds in a bundler: the plugin compiled the model once; the model file is edited
// and the bundler asked for the module again.
const WARM_UP = 5;
if (parts.includes("warm")) {
  const model = fs.readFileSync(path.join(repo, "bench", "gmm", "objective.ts"), "utf8");
  // An edit that changes the generated code: a constant of lgamma's (`zz + 7.5`) moves a little.
  const edited = (k) => {
    const text = model.replace("const t = zz + 7.5;", `const t = zz + ${7.5 + k / 1e6};`);
    if (text === model) throw new Error("bench/gmm/objective.ts no longer has `const t = zz + 7.5;`: choose another edit");
    return text;
  };
  const main = `import * as gmm from "./model.grad";\nconsole.log(Object.keys(gmm).join(" "));\n`;
  const runtime = path.join(repo, "runtime", "index.ts");
  const esbuild = await import("esbuild");
  const setups = [];
  for (const c of compilers) {
    const dir = path.join(work, c.label, "warm");
    writeProject(dir, { "model.ts": model, "main.ts": main });
    const { tsgrad } = await import(pathToFileURL(path.join(c.root, "dist", "src", "plugins", "esbuild.js")).href);
    const ctx = await esbuild.context({ absWorkingDir: dir, entryPoints: [path.join(dir, "main.ts")], bundle: true, write: false, format: "esm", platform: "node", logLevel: "silent", alias: { "tsgrad/runtime": runtime }, plugins: [tsgrad()] });
    setups.push({ c, dir, ctx, edits: 0 });
  }
  const rebuild = async (s) => {
    fs.writeFileSync(path.join(s.dir, "model.ts"), edited(++s.edits));
    const t0 = performance.now();
    const r = await s.ctx.rebuild();
    const ms = performance.now() - t0;
    if (r.errors.length > 0) throw new Error(`esbuild: ${r.errors[0].text}`);
    return ms;
  };
  // The first build (new plugin instance, TypeScript already loaded), then the rebuilds.
  const first = [];
  for (const s of setups) {
    const t0 = performance.now();
    await s.ctx.rebuild();
    first.push(performance.now() - t0);
  }
  // A few edits first, untimed: the samples are of a dev session under way, not of the JIT's first compiles.
  await interleaved(WARM_UP, setups.map((s) => () => rebuild(s)));
  const esbuildSamples = await interleaved(runs, setups.map((s) => () => rebuild(s)));
  for (const s of setups) await s.ctx.dispose();

  // vite's dev server: the generated module transformed again after an edit (what a hot
  // update waits for), its invalidation done here rather than by the file watcher.
  const vite = await import("vite");
  const servers = [];
  for (const c of compilers) {
    const dir = path.join(work, c.label, "warm");
    const { tsgrad } = await import(pathToFileURL(path.join(c.root, "dist", "src", "plugins", "vite.js")).href);
    const server = await vite.createServer({ configFile: false, root: dir, logLevel: "silent", plugins: [tsgrad()], resolve: { alias: { "tsgrad/runtime": runtime } }, server: { middlewareMode: true, hmr: false, watch: null }, appType: "custom", optimizeDeps: { noDiscovery: true, include: [] } });
    const id = `${path.join(dir, "model.ts")}?tsgrad`;
    await server.transformRequest(id);
    servers.push({ c, dir, server, id, edits: 1000 });
  }
  const transform = async (s) => {
    fs.writeFileSync(path.join(s.dir, "model.ts"), edited(++s.edits));
    const t0 = performance.now();
    const graph = s.server.environments?.client?.moduleGraph ?? s.server.moduleGraph;
    const mod = graph.getModuleById(s.id);
    if (mod) graph.invalidateModule(mod);
    const r = await s.server.transformRequest(s.id);
    const ms = performance.now() - t0;
    if (!r || !r.code.includes("gmm_objective")) throw new Error("vite: no generated module");
    return ms;
  };
  await interleaved(WARM_UP, servers.map((s) => () => transform(s)));
  const viteSamples = await interleaved(runs, servers.map((s) => () => transform(s)));
  for (const s of servers) await s.server.close();
  result.warm = compilers.map((c, i) => ({ label: c.label, firstBuild: first[i], esbuildRebuild: summary(esbuildSamples[i]), viteTransform: summary(viteSamples[i]) }));
}

// ---- report ----
if (json) {
  console.log(JSON.stringify(result, null, 2));
  process.exit(0);
}
const ms = (x) => `${x.toFixed(0)}`;
const range = (s) => `${ms(s.median)} (${ms(s.min)}-${ms(s.max)})`;
const table = (header, rows) => {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("   ");
  console.log([line(header), ...rows.map(line)].join("\n"));
};
console.log(`tsgrad compile speed: node ${result.node}, ${result.cpus} cores, load average ${result.loadAverage.toFixed(1)} at the start; wall-clock ms, median (min-max) of ${runs} interleaved samples`);
for (const c of result.compilers) console.log(`  ${c.label}: ${c.root} (CLI: ${c.entry})`);
if (result.cold) {
  console.log(`\n(a) cold: node bin/tsgrad.js compile FILE -o OUT, a fresh process each (target: under 1000 ms)`);
  table(["file", ...compilers.map((c) => c.label)], result.cold.map((r) => [r.model, ...r.byCompiler.map((b) => range(b.wall))]));
  const rows = [
    ["node start-up", "start"],
    ["CLI modules (commander; the bundle)", "cli"],
    ["loading typescript", "typescript"],
    ["compiler modules", "compiler"],
    ["parsing (TypeScript's Parse)", "parse"],
    ["program: resolution, reading", "program"],
    ["binding", "bind"],
    ["type-checking the file", "check"],
    ["tsgrad: lower, AD, emit, tidy, write", "tsgrad"],
    ["exit (and process creation)", "exit"],
    ["total", "wall"],
  ];
  for (const c of compilers) {
    console.log(`\nwhere the time goes, compiler ${c.label} (median of ${phaseRuns} runs with TypeScript's performance counters on)`);
    table(["phase", ...result.cold.map((r) => path.basename(path.dirname(r.model)))], rows.map(([name, key]) => [name, ...result.cold.map((r) => ms(r.byCompiler.find((b) => b.label === c.label).phases[key]))]));
  }
}
if (result.dir) {
  console.log(`\n(b) a directory of ${DIR_MODELS.length} models (bench objectives, example models, fixtures; tsconfig with @types/node): node bin/tsgrad.js compile DIR --out-dir OUT`);
  table(
    ["", ...compilers.map((c) => c.label)],
    [
      [`${DIR_MODELS.length} files, one process`, ...result.dir.map((d) => range(d.total))],
      [`1 file (${DIR_MODELS[0][1]}), one process`, ...result.dir.map((d) => range(d.single))],
      ["each further file (difference / 19)", ...result.dir.map((d) => ms(d.marginal))],
      [`mean per file`, ...result.dir.map((d) => ms(d.total.median / d.files))],
      ["TypeScript programs created", ...result.dir.map((d) => d.phases.programs)],
      ["  parsing", ...result.dir.map((d) => ms(d.phases.parse))],
      ["  binding", ...result.dir.map((d) => ms(d.phases.bind))],
      ["  type-checking", ...result.dir.map((d) => ms(d.phases.check))],
      ["  tsgrad", ...result.dir.map((d) => ms(d.phases.tsgrad))],
    ],
  );
}
if (result.warm) {
  console.log(`\n(c) warm: the plugin rebuilds after an edit of model.ts (bench/gmm/objective.ts, a constant changed; tsconfig with @types/node; target: under 50 ms)`);
  table(
    ["", ...compilers.map((c) => c.label)],
    [
      ["esbuild: first build (TypeScript loaded)", ...result.warm.map((w) => ms(w.firstBuild))],
      [`esbuild: ctx.rebuild() after an edit (after ${WARM_UP} untimed)`, ...result.warm.map((w) => range(w.esbuildRebuild))],
      [`vite: transformRequest after an edit (after ${WARM_UP} untimed)`, ...result.warm.map((w) => range(w.viteTransform))],
    ],
  );
}
