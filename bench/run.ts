/**
 * tsgrad benchmark harness. Run through `npm run bench` (bench.mjs bundles this file first).
 *
 *   --quick            short budgets and the smallest sizes (smoke run)
 *   --only <workload>  gmm | ba | lstm | spring | particles | mlp | functional (prefix match; comma-separated list allowed)
 *   --methods <list>   comma-separated method names to run besides "hand" (the reference)
 *   --json <file>      also write the rows as JSON
 *   --readme           also write the tables into bench/README.md (between its results markers)
 *   --all              also run the library methods known to take minutes (jax-js eager on the
 *                      LSTM and the simulation), each still limited by --timeout
 *   --timeout <s>      limit per library method (TF.js, jax-js), default 60 (20 with --quick)
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { baCases } from "./ba/case.js";
import { functionalCases } from "./functional/case.js";
import { FULL_ROUNDS, QUICK_ROUNDS, measureRounds, median, roundRatios, type RatioStats } from "./common/measure.js";
import type { BuildOptions, Case, Flat, Method, MethodImpl } from "./common/types.js";
import { fmtBytes, fmtMs, fmtRatio, fmtSci, maxRelDiff, relDiff } from "./common/util.js";
import { gmmCases } from "./gmm/case.js";
import { lstmCases } from "./lstm/case.js";
import { mlpCases } from "./mlp/case.js";
import { particlesCases } from "./particles/case.js";
import { springCases } from "./spring/case.js";

const WORKLOADS: { name: string; cases: (o: BuildOptions) => AsyncGenerator<Case> }[] = [
  { name: "gmm", cases: gmmCases },
  { name: "ba", cases: baCases },
  { name: "lstm", cases: lstmCases },
  { name: "spring", cases: springCases },
  { name: "particles", cases: particlesCases },
  { name: "mlp", cases: mlpCases },
  { name: "functional", cases: functionalCases },
];

interface Row {
  workload: string;
  size: string;
  nparams: number;
  method: string;
  /** Median time per call over the rounds (processor time). */
  objectiveMs?: number;
  gradientMs?: number;
  /** Fastest samples (JSON only; ADBench reports minima). */
  objectiveMinMs?: number;
  gradientMinMs?: number;
  /** Per-round ratios: this method's gradient over its objective, and over the hand-written gradient sampled in the same rounds. */
  gradOverObj?: RatioStats;
  vsHand?: RatioStats;
  firstCallMs?: number;
  tapeBytes?: number;
  maxRelDiff?: number;
  tol?: number;
  check: string;
  samples?: number;
  note?: string;
}

/** A gradient time ratio measured interleaved (Case.ratios). */
interface RatioRow {
  workload: string;
  size: string;
  num: string;
  den: string;
  stats?: RatioStats;
  /** Why it was not measured. */
  note?: string;
}

function usage(): never {
  console.log(`usage: npm run bench -- [--quick] [--only gmm,ba,lstm,spring,particles,mlp,functional]
                        [--methods tsgrad,tsgrad-flat,tsgrad-functional,tsgrad-loop,tfjs,jax,jax-jit,fd]
                        [--json FILE] [--readme] [--timeout SECONDS] [--all] [--no-compile] [--check-fresh]`);
  process.exit(0);
}

function parseArgs(argv: string[]) {
  const o = { quick: false, only: undefined as string[] | undefined, methods: undefined as string[] | undefined, json: undefined as string | undefined, readme: false, timeoutS: 0, all: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") o.quick = true;
    else if (a === "--only") o.only = (argv[++i] ?? "").split(",");
    else if (a === "--methods") o.methods = (argv[++i] ?? "").split(",");
    else if (a === "--json") o.json = argv[++i];
    else if (a === "--readme") o.readme = true;
    else if (a === "--all") o.all = true;
    else if (a === "--timeout") o.timeoutS = Number(argv[++i]);
    else if (a === "--help" || a === "-h") usage();
    else {
      console.error(`unknown option ${a}`);
      process.exit(2);
    }
  }
  if (!(o.timeoutS > 0)) o.timeoutS = o.quick ? 20 : 60;
  // A misspelt name would silently measure nothing: say so instead.
  const unknownMethods = (o.methods ?? []).filter((m) => !METHOD_NAMES.includes(m));
  const unknownWorkloads = (o.only ?? []).filter((p) => !WORKLOADS.some((w) => w.name.startsWith(p)));
  if (unknownMethods.length > 0 || unknownWorkloads.length > 0) {
    if (unknownMethods.length > 0) console.error(`unknown method ${unknownMethods.join(", ")} (methods: ${METHOD_NAMES.join(", ")})`);
    if (unknownWorkloads.length > 0) console.error(`unknown workload ${unknownWorkloads.join(", ")} (workloads: ${WORKLOADS.map((w) => w.name).join(", ")})`);
    process.exit(2);
  }
  return o;
}

/** The methods `--methods` may name (the reference, hand, always runs). */
const METHOD_NAMES = ["hand", "tsgrad", "tsgrad-flat", "tsgrad-functional", "tsgrad-loop", "tfjs", "jax", "jax-jit", "fd"];

const errMsg = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).split("\n")[0]!.slice(0, 120);

/** Per-case state: the reference gradient and the rows so far. */
interface CaseState {
  c: Case;
  /** Position of the case among its workload's cases (to rebuild it in a worker). */
  index: number;
  ref?: Flat;
  /** The hand-written method, created once (handOf). */
  hand?: MethodImpl;
  rows: Row[];
  /** Gradient functions of the plain-JS methods that agreed with the reference (for Case.ratios). */
  grads?: Map<string, () => unknown>;
}

/** A copy of a gradient's flat form: methods that fill a buffer they own overwrite it at the next call. */
const snapshot = (f: Flat): Flat => ({ value: f.value, grad: Float64Array.from(f.grad), index: f.index });

/** The largest relative difference of `flat` from the reference, and what is wrong when it exceeds `tol`. */
function disagreement(flat: Flat, ref: Flat, tol: number): { diff: number; problems: string[] } {
  const problems: string[] = [];
  const diff = maxRelDiff(flat.grad, flat.index ? flat.index.map((i) => ref.grad[i]!) : ref.grad);
  if (!(diff <= tol)) problems.push(`gradient differs (${fmtSci(diff)} > ${fmtSci(tol)})`);
  if (Number.isFinite(flat.value) && Number.isFinite(ref.value) && relDiff(flat.value, ref.value) > Math.max(tol, 1e-12)) problems.push(`value differs (${flat.value} vs ${ref.value})`);
  return { diff, problems };
}

/**
 * Runs one method of a case: its first gradient call (timed alone: tracing, jit), then rounds
 * interleaving its objective, its gradient and the hand-written gradient (measureRounds), then one
 * more gradient call. The first and the last gradients are both checked against the reference:
 * state left behind by a call (a tape not emptied, a buffer accumulating) shows in the second.
 */
async function runMethod(st: CaseState, m: Method, o: ReturnType<typeof parseArgs>): Promise<void> {
  const c = st.c;
  const rounds = o.quick ? QUICK_ROUNDS : FULL_ROUNDS;
  const row: Row = { workload: c.workload, size: c.size, nparams: c.nparams, method: m.name, check: "" };
  if (m.name !== "hand" && o.methods && !o.methods.includes(m.name)) return;
  const skip = m.skip ?? (o.all ? undefined : m.slow && `${m.slow}; --all runs it`);
  if (skip) {
    row.check = "skipped";
    row.note = skip;
    st.rows.push(row);
    return;
  }
  if (m.name !== "hand" && !st.ref) {
    row.check = "error";
    row.note = "no reference gradient";
    st.rows.push(row);
    return;
  }
  let impl: MethodImpl | undefined;
  try {
    impl = await m.create();
    impl.prepare?.();
    const problems: string[] = [];
    const objFirst = impl.objective?.();
    const t0 = performance.now();
    const first = impl.gradient();
    row.firstCallMs = performance.now() - t0;
    const flat = snapshot(impl.flatten(first));
    if (m.name === "hand") {
      st.ref = flat;
      row.check = "ref";
      if (typeof objFirst === "number" && Number.isFinite(flat.value) && relDiff(flat.value, objFirst) > 1e-10) problems.push(`value ${flat.value} != objective ${objFirst}`);
    } else {
      const first = disagreement(flat, st.ref!, m.tol);
      row.maxRelDiff = first.diff;
      problems.push(...first.problems);
    }

    // The rounds: [objective,] gradient[, hand's gradient].
    const hand = m.name === "hand" ? undefined : await handOf(st);
    const fns = [...(impl.objective ? [impl.objective] : []), impl.gradient, ...(hand ? [hand.gradient] : [])];
    const samples = measureRounds(fns, rounds);
    const gi = impl.objective ? 1 : 0;
    const g = samples[gi]!;
    row.gradientMs = median(g);
    row.gradientMinMs = Math.min(...g);
    row.samples = g.length;
    if (impl.objective) {
      row.objectiveMs = median(samples[0]!);
      row.objectiveMinMs = Math.min(...samples[0]!);
      row.gradOverObj = roundRatios(g, samples[0]!);
    }
    if (hand) row.vsHand = roundRatios(g, samples[gi + 1]!);
    row.tapeBytes = impl.tapeBytes?.();

    // A later call must give the same gradient.
    const again = snapshot(impl.flatten(impl.gradient()));
    // (The hand-written gradient must repeat itself to rounding; its row shows no difference.)
    const later = disagreement(again, st.ref!, m.name === "hand" ? 1e-12 : m.tol);
    if (m.name !== "hand") row.maxRelDiff = Math.max(row.maxRelDiff!, later.diff);
    problems.push(...later.problems.map((p) => `after ${g.length} rounds: ${p}`));
    if (m.name !== "hand" && row.check === "") row.check = "ok";
    if (problems.length) {
      row.check = "FAIL";
      row.note = problems.join("; ");
    }
    if (m.kind === "js" && !problems.length && !impl.dispose) (st.grads ??= new Map()).set(m.name, impl.gradient);
  } catch (e) {
    row.check = "error";
    row.note = errMsg(e);
  } finally {
    try {
      impl?.dispose?.();
    } catch {
      /* ignore */
    }
  }
  st.rows.push(row);
  console.error(
    `  ${c.workload} ${c.size} ${m.name}: obj ${fmtMs(row.objectiveMs)}, grad ${fmtMs(row.gradientMs)} ` +
      `(${row.samples ?? 0} rounds), vs hand ${fmtStats(row.vsHand)}, first ${fmtMs(row.firstCallMs)}, diff ${fmtSci(row.maxRelDiff)} ${row.check}` +
      (row.note ? ` - ${row.note}` : ""),
  );
}

/** The hand-written method of the case, ready to run (its gradient is sampled beside every other method's). */
async function handOf(st: CaseState): Promise<MethodImpl> {
  if (!st.hand) {
    const m = st.c.methods.find((x) => x.name === "hand");
    if (!m) throw new Error(`${st.c.workload}: no hand-written method`);
    st.hand = await m.create();
    st.hand.prepare?.();
  }
  return st.hand;
}

/** "1.23x (1.20-1.26)": a ratio's median and quartiles. */
function fmtStats(s: RatioStats | undefined): string {
  return s ? `${fmtRatio(s.median)} (${fmtRatio(s.q1).replace(/x$/, "")}-${fmtRatio(s.q3)})` : "-";
}

/** Measures the case's interleaved ratios (Case.ratios) among the methods that ran and agreed. */
function measureRatios(st: CaseState, o: ReturnType<typeof parseArgs>): RatioRow[] {
  const c = st.c;
  const pairs = c.ratios ?? [];
  const names = [...new Set(pairs.flatMap((p) => [p.num, p.den]))].filter((n) => st.grads?.has(n));
  const samples = names.length >= 2 ? measureRounds(names.map((n) => st.grads!.get(n)!), o.quick ? QUICK_ROUNDS : FULL_ROUNDS) : [];
  return pairs.map((p) => {
    const r: RatioRow = { workload: c.workload, size: c.size, num: p.num, den: p.den };
    const i = names.indexOf(p.num);
    const j = names.indexOf(p.den);
    if (i >= 0 && j >= 0) r.stats = roundRatios(samples[i]!, samples[j]!);
    else {
      const why = (n: string) => {
        const row = st.rows.find((x) => x.method === n);
        return row ? `${n}: ${row.check}${row.note ? ` (${row.note})` : ""}` : `${n}: not run`;
      };
      r.note = [p.num, p.den].filter((n) => !names.includes(n)).map(why).join("; ");
    }
    const s = r.stats;
    console.error(
      `  ${c.workload} ${c.size} ${p.num} / ${p.den} (interleaved): ` +
        (s ? `${fmtRatio(s.median)} (quartiles ${fmtRatio(s.q1)}-${fmtRatio(s.q3)}, ${s.rounds} rounds)` : `not measured - ${r.note}`),
    );
    return r;
  });
}

function ratioTable(rs: RatioRow[]): string {
  const lines = ["| workload | size | gradient time ratio | median | quartiles | rounds |", "|---|---|---|---:|---:|---:|"];
  for (const r of rs) {
    const s = r.stats;
    lines.push(
      `| ${r.workload} | ${r.size} | ${r.num} / ${r.den} | ${s ? fmtRatio(s.median) : "-"} | ` +
        `${s ? `${fmtRatio(s.q1)}-${fmtRatio(s.q3)}` : "-"} | ${s ? s.rounds : `not measured (${r.note})`} |`,
    );
  }
  return lines.join("\n");
}

function checkValues(c: Case, rows: Row[]): void {
  for (const chk of c.checks ?? []) {
    const d = relDiff(chk.actual, chk.expected);
    const ok = d <= chk.tol;
    console.error(`  check ${c.workload}: ${chk.label}: ${chk.actual} vs ${chk.expected} (rel diff ${fmtSci(d)}) ${ok ? "ok" : "FAIL"}`);
    if (!ok) rows.push({ workload: c.workload, size: c.size, nparams: c.nparams, method: "(check)", check: "FAIL", note: chk.label });
  }
}

function table(rows: Row[]): string {
  const head = ["workload", "size", "method", "objective", "gradient", "grad/obj", "vs hand", "first call", "tape", "max rel diff", "check"];
  const body = rows.map((r) => [
    r.workload,
    r.size,
    r.method,
    fmtMs(r.objectiveMs),
    fmtMs(r.gradientMs),
    fmtStats(r.gradOverObj),
    r.method === "hand" ? "1.00x" : fmtStats(r.vsHand),
    fmtMs(r.firstCallMs),
    fmtBytes(r.tapeBytes),
    r.method === "hand" ? "(ref)" : fmtSci(r.maxRelDiff),
    r.check + (r.note && r.check !== "ok" ? ` (${r.note})` : ""),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => (i >= 3 && i <= 9 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ") + " |";
  const sep = "|" + widths.map((w, i) => (i >= 3 && i <= 9 ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|") + "|";
  return [line(head), sep, ...body.map(line)].join("\n");
}

interface CompileInfo {
  ms: number;
  ok: boolean;
  status: number | null;
  firstError?: string;
}

/** What bench.mjs recorded about `tsgrad compile` of each objective (empty when not run). */
function compileInfo(): Record<string, CompileInfo> {
  const file = join(dirname(fileURLToPath(import.meta.url)), "compile-times.json");
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, CompileInfo>;
}

function compileTable(): string | undefined {
  const times = compileInfo();
  const entries = Object.entries(times);
  if (entries.length === 0) return undefined;
  const lines = ["| objective | tsgrad compile (cold, wall) | result |", "|---|---:|---|"];
  for (const [w, t] of entries) lines.push(`| bench/${w}/objective.ts | ${fmtMs(t.ms)} | ${t.ok ? "ok" : `failed (exit ${t.status})`} |`);
  return lines.join("\n");
}

interface WorkerJob {
  workload: string;
  index: number;
  method: string;
  args: string[];
  ref: Flat | undefined;
}

/**
 * Runs a library method (TF.js, jax-js) in a worker thread: with a deadline (a synchronous call
 * cannot be interrupted otherwise), a large stack (jax-js's jit recurses deeply on long unrolled
 * loops), and in a separate V8 isolate (jax-js's WebAssembly memory growth detaches an
 * ArrayBuffer, which would slow every typed-array access of the main thread's plain-JS methods
 * for the rest of the process).
 */
async function runPeer(st: CaseState, m: Method, o: ReturnType<typeof parseArgs>): Promise<void> {
  if (m.skip || (m.slow && !o.all) || (o.methods && !o.methods.includes(m.name)) || !st.ref) return runMethod(st, m, o);
  const c = st.c;
  const job: WorkerJob = { workload: c.workload, index: st.index, method: m.name, args: process.argv.slice(2), ref: st.ref };
  const limitMs = o.timeoutS * 1000;
  const base: Row = { workload: c.workload, size: c.size, nparams: c.nparams, method: m.name, check: "" };
  const row = await new Promise<Row>((resolve) => {
    const w = new Worker(fileURLToPath(import.meta.url), { workerData: job, resourceLimits: { stackSizeMb: 256 } });
    const timer = setTimeout(() => {
      void w.terminate();
      resolve({ ...base, check: "timeout", note: `no result within ${o.timeoutS} s` });
    }, limitMs);
    w.once("message", (r: Row) => {
      clearTimeout(timer);
      resolve(r);
    });
    w.once("error", (e) => {
      clearTimeout(timer);
      resolve({ ...base, check: "error", note: errMsg(e) });
    });
    w.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ ...base, check: "error", note: `worker exited with code ${code}` });
    });
  });
  if (row.check === "timeout" || row.check === "error") console.error(`  ${c.workload} ${c.size} ${m.name}: ${row.check} - ${row.note}`);
  st.rows.push(row);
}

/** Worker side of runPeer: rebuild the case, run one method, post its row. */
async function workerMain(job: WorkerJob): Promise<void> {
  const o = parseArgs(job.args);
  const w = WORKLOADS.find((x) => x.name === job.workload)!;
  let i = 0;
  let c: Case | undefined;
  for await (const cc of w.cases({ quick: o.quick, methods: o.methods })) {
    if (i++ === job.index) {
      c = cc;
      break;
    }
  }
  if (!c) throw new Error(`no case ${job.index} in ${job.workload}`);
  const st: CaseState = { c, index: job.index, rows: [], ref: job.ref };
  const m = c.methods.find((x) => x.name === job.method)!;
  await runMethod(st, m, o);
  parentPort!.postMessage(st.rows[0]);
}

/** The commit (with "+ changes" when the tree differs from it), the date, node and the machine. */
function stamp(): string {
  const git = (...args: string[]) => spawnSync("git", args, { cwd: benchRoot, encoding: "utf8" }).stdout?.trim() ?? "";
  const commit = git("rev-parse", "--short", "HEAD") || "unknown commit";
  const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
  return `Commit ${commit}${dirty ? " + uncommitted changes" : ""}, ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "unknown CPU"}`;
}

/** The repository root: the nearest directory above this file (bench/run.ts, or its bundle in bench/.build) with a package.json. */
const benchRoot = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();
const README_START = "<!-- bench results: start (written by `npm run bench -- --readme`) -->";
const README_END = "<!-- bench results: end -->";

/** Replaces bench/README.md's results between its markers with `report`. */
function writeReadme(report: string): void {
  const file = join(benchRoot, "bench", "README.md");
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(README_START);
  const b = text.indexOf(README_END);
  if (a < 0 || b < a) throw new Error(`${file} has no results markers`);
  writeFileSync(file, `${text.slice(0, a + README_START.length)}\n\n${report}\n\n${text.slice(b)}`);
  console.error(`wrote the results into ${file}`);
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadStart = loadavg()[0]!.toFixed(1);
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.error(`tsgrad bench: node ${process.version}, ${cpus().length} x ${cpu}, ${o.quick ? "quick" : "full"} run`);
  const states: CaseState[] = [];
  const ratioRows: RatioRow[] = [];
  const setupRows: Row[] = [];
  const compiled = compileInfo();
  for (const w of WORKLOADS) {
    if (o.only && !o.only.some((p) => w.name.startsWith(p))) continue;
    console.error(`${w.name}:`);
    try {
      let index = 0;
      for await (const c of w.cases({ quick: o.quick, methods: o.methods })) {
        const st: CaseState = { c, index: index++, rows: [] };
        states.push(st);
        checkValues(c, st.rows);
        // Plain JavaScript (hand, tsgrad, fd) in this thread, then each library in a worker.
        for (const m of c.methods) if (m.kind === "js") await runMethod(st, m, o);
        const ci = compiled[c.workload];
        if (ci && !ci.ok && !c.methods.some((m) => m.name === "tsgrad")) {
          st.rows.push({ workload: c.workload, size: c.size, nparams: c.nparams, method: "tsgrad", check: "compile error", note: ci.firstError });
        }
        if (c.ratios) ratioRows.push(...measureRatios(st, o));
        st.grads = undefined;
        for (const m of c.methods) if (m.kind === "peer") await runPeer(st, m, o);
      }
    } catch (e) {
      setupRows.push({ workload: w.name, size: "-", nparams: 0, method: "(setup)", check: "error", note: errMsg(e) });
      console.error(e);
    }
  }
  const order = (st: CaseState, r: Row) => {
    const i = st.c.methods.findIndex((m) => m.name === r.method);
    return i >= 0 ? i : r.method === "tsgrad" ? 0.5 : -1;
  };
  const rows: Row[] = [...setupRows];
  for (const st of states) rows.push(...[...st.rows].sort((a, b) => order(st, a) - order(st, b)));
  const secs = (performance.now() - started) / 1000;
  const report = [
    `${stamp()}; ${o.quick ? "--quick" : "full"} run, ${secs.toFixed(0)} s, load average ${loadStart} at the start, ${loadavg()[0]!.toFixed(1)} at the end.`,
    "",
    "Times: medians of processor time per call over interleaved rounds (each round samples the method's objective, its gradient " +
      "and the hand-written gradient back to back); grad/obj and vs hand: median of the per-round ratios (quartiles); " +
      "first call: the very first gradient call (tracing, jit), wall clock.",
    "",
    table(rows),
  ];
  if (ratioRows.length) report.push("", "Other gradient time ratios, interleaved (median of per-round ratios, quartiles):", "", ratioTable(ratioRows));
  const ct = compileTable();
  if (ct) report.push("", ct);
  console.log(`\n${report.join("\n")}`);
  if (o.readme) writeReadme(report.join("\n"));
  if (o.json) {
    mkdirSync(dirname(o.json), { recursive: true });
    writeFileSync(o.json, JSON.stringify({ node: process.version, cpu, quick: o.quick, rows, ratios: ratioRows }, null, 2));
  }
  // A method that disagrees or fails (tsgrad not compiling included) fails the run; a library
  // method over its deadline (--timeout) or skipped as too slow is reported, not failed.
  const bad = rows.filter((r) => r.check === "FAIL" || r.check === "error" || r.check === "compile error");
  if (bad.length) {
    console.log();
    console.log(`${bad.length} method(s) failed or disagree with the hand-written gradient:`);
    for (const r of bad) console.log(`  ${r.workload} ${r.size} ${r.method}: ${r.check}${r.note ? ` (${r.note})` : ""}`);
  }
  process.exitCode = bad.length ? 1 : 0;
}

if (isMainThread) await main();
else await workerMain(workerData as WorkerJob);
