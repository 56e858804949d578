/**
 * The long fuzz run, outside vitest: `npm run fuzz -- --count 100000 --seed S` (test/fuzz/run.mjs
 * bundles this file with esbuild and runs it).
 *
 * Programs are spread over worker threads (one per core by default); each worker generates
 * program i of the run from `programSeed(seed, i)`, checks it (check.ts) and, when it fails,
 * reduces it (reduce.ts). A worker stuck on one program for longer than --timeout seconds is
 * terminated and the program reported as a hang. Progress goes to stdout every few seconds;
 * at the end a summary, and every failure is written to --out (original program, generated
 * module, reduced reproducer, messages).
 *
 *   --count N       programs (default 1000)        --seed S       run seed (default 1)
 *   --workers W     threads (default: cores)       --timeout T    seconds per program (default 120)
 *   --arrays        generate array features        --no-reduce    keep failing programs as they are
 *   --structs       generate objects and tuples
 *   --rows          also arrays of objects and tuples (Body[], Spring[], [number, number][]); implies --structs
 *   --methods       everyday functional code: array methods with callbacks on number arrays and
 *                   arrays of objects (map, reduce and reduceRight with and without index and
 *                   initial value, forEach writing by index, some/every steering an if,
 *                   Math.max/min/hypot(...xs), Array.from({ length }, ...), for...of and
 *                   .entries(), const [a, b] = xs), local and module-level arrow helpers reading
 *                   enclosing variables, switch with fall-through and default, arrays grown by push
 *                   (`const ys: number[] = []; ys.push(e)`, read, iterated, passed and returned),
 *                   map/reduce/forEach/some/every over matrix rows; implies --arrays --rows
 *   --methods-v1    --methods as it was before arrays grown by push and methods over matrix rows
 *                   (the programs of runs recorded before them; --resume of such a run needs it)
 *   --classes       classes: fields (parameter properties or declared), instance methods, getters,
 *                   static methods and constants, a subclass calling super; exported functions
 *                   taking instances and calling their methods; implies --structs
 *   --reassign      local arrays declared with let and assigned again inside loops: gradient steps
 *                   `x = x.map(...)`, stencils over two buffers swapped after each step (`[u, v] = [v, u]`
 *                   or `const t = u; u = v; v = t;`, ends not always overwritten so the swap shows),
 *                   three buffers rotated by any permutation, recurrences `h = hNew` (h from a copy or
 *                   `let h = h0`), helpers' array results assigned back (`ys = relax0(ys, e)`); implies
 *                   --arrays, combines with the flags above
 *   --idioms        a --methods program of at most one exported function, then two to four units of exported
 *                   functions in the forms tsgrad accepted last (idioms.ts): results carrying booleans and
 *                   string literal unions, pop on grown arrays, method chains and Math functions by name,
 *                   xs.at(k), out parameters (also void), array literals passed to helpers, optional number
 *                   parameters (check points leave trailing ones out), untyped new Array(n), local matrices
 *                   created whole, arrays of objects and tuples grown by push, slices of arrays of objects,
 *                   World.bodies (with an optional pinned flag), value classes, void functions updating two
 *                   objects, do...while on a local helper, functions with declared derivatives; implies --methods
 *   --hvp           also compile with --hvp: every f_hvp against central differences of f_grad along a
 *                   random direction (where two step sizes agree), its gradient against f_grad's
 *   --checkpoint    also compile with '// tsgrad: checkpoint' (every 1-3 iterations or sqrt(T)) above every
 *                   loop that allows it: each gradient must be the one recorded in full (to 1e-10)
 *   --no-workarounds  also generate what known-bugs.ts steers clear of
 *   --program P     check only the program with seed P (printed), then exit
 *   --out DIR       failure reports (default test-output/fuzz)
 *   --resume        continue the run recorded in DIR/progress-seedS[-arrays][-structs][-rows][-methods][-classes][-reassign][-idioms].json
 *
 * A long run outlives sessions and machines that stop without warning, so as programs finish the
 * run records in --out which programs are done (every index below `next`) with their totals and
 * failures; `--resume` with the same --seed and generator flags continues from there. Programs depend only
 * on (seed, index), so a resumed run checks exactly the programs an uninterrupted one would.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { entriesOf, printProgram, printProgramJs } from "./ast.js";
import { type CheckStats, type Failure, checkProgram } from "./check.js";
import { type GenOptions, generateProgram, programSeed } from "./generator.js";
import { AVOID_KNOWN } from "./known-bugs.js";
import { reduceProgram } from "./reduce.js";

interface Args {
  count: number;
  seed: number;
  workers: number;
  timeout: number;
  arrays: boolean;
  structs: boolean;
  rows: boolean;
  methods: boolean;
  methodsV1: boolean;
  classes: boolean;
  reassign: boolean;
  idioms: boolean;
  /** Also compile with --hvp and check f_hvp against central differences of f_grad. */
  hvp: boolean;
  /** Also compile with every loop checkpointed and check the gradients are unchanged. */
  checkpoint: boolean;
  reduce: boolean;
  workarounds: boolean;
  program?: number;
  out: string;
  resume: boolean;
}

/** What a run has done so far, written to --out as it goes (see --resume). */
interface Progress {
  seed: number;
  arrays: boolean;
  /** Absent in runs recorded before --structs existed. */
  structs?: boolean;
  /** Absent in runs recorded before --rows existed. */
  rows?: boolean;
  /** Absent in runs recorded before --methods existed. */
  methods?: boolean;
  /** Absent in runs recorded before push arrays were added to --methods (such a run is a --methods-v1 run). */
  methodsV1?: boolean;
  /** Absent in runs recorded before --classes existed. */
  classes?: boolean;
  /** Absent in runs recorded before --reassign existed. */
  reassign?: boolean;
  /** Absent in runs recorded before --idioms existed. */
  idioms?: boolean;
  count: number;
  /** Programs 0 .. next-1 are done; the totals below cover exactly those. */
  next: number;
  seconds: number;
  stats: CheckStats;
  failing: { index: number; seed: number; kind: string; message: string }[];
  failureKinds: Record<string, number>;
  /** The compiler each stretch of the run was checked with: [first index, commit]. */
  compilers: [number, string][];
}

interface Task {
  index: number;
}

interface Outcome {
  index: number;
  seed: number;
  stats: CheckStats;
  failures: Failure[];
  source?: string;
  code?: string;
  reduced?: string;
  reducedFailure?: Failure;
  ms: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { count: 1000, seed: 1, workers: os.availableParallelism?.() ?? os.cpus().length, timeout: 120, arrays: false, structs: false, rows: false, methods: false, methodsV1: false, classes: false, reassign: false, idioms: false, hvp: false, checkpoint: false, reduce: true, workarounds: true, out: "test-output/fuzz", resume: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v!;
    };
    const int = (v: string): number => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) usage(`${a}: '${v}' is not a nonnegative integer`);
      return n;
    };
    if (a === "--count") args.count = int(next());
    else if (a === "--seed") args.seed = int(next());
    else if (a === "--workers") args.workers = Math.max(1, int(next()));
    else if (a === "--timeout") args.timeout = int(next());
    else if (a === "--arrays") args.arrays = true;
    else if (a === "--structs") args.structs = true;
    else if (a === "--rows") args.rows = args.structs = true;
    else if (a === "--methods") args.methods = args.arrays = args.rows = args.structs = true;
    else if (a === "--methods-v1") args.methodsV1 = args.methods = args.arrays = args.rows = args.structs = true;
    else if (a === "--classes") args.classes = args.structs = true;
    else if (a === "--reassign") args.reassign = args.arrays = true;
    else if (a === "--idioms") args.idioms = args.methods = args.arrays = args.rows = args.structs = true;
    else if (a === "--hvp") args.hvp = true;
    else if (a === "--checkpoint") args.checkpoint = true;
    else if (a === "--no-reduce") args.reduce = false;
    else if (a === "--no-workarounds") args.workarounds = false;
    else if (a === "--program") args.program = int(next());
    else if (a === "--out") args.out = next();
    else if (a === "--resume") args.resume = true;
    else if (a === "--help" || a === "-h") usage(undefined);
    else usage(`unknown argument '${a}'`);
  }
  return args;
}

function usage(problem: string | undefined): never {
  if (problem) process.stderr.write(`fuzz: ${problem}\n`);
  process.stderr.write(
    "usage: npm run fuzz -- [--count N] [--seed S] [--workers W] [--timeout SECONDS] [--arrays] [--structs] [--rows] [--methods] [--methods-v1] [--classes] [--reassign] [--idioms] [--hvp] [--checkpoint] [--no-reduce] [--no-workarounds] [--program SEED] [--out DIR] [--resume]\n" +
      "  --arrays   local arrays and array parameters     --structs  objects and tuples\n" +
      "  --rows     arrays of objects and tuples too (implies --structs)\n" +
      "  --methods  array methods with callbacks (map, reduce, reduceRight, forEach, some, every, Array.from, spreads\n" +
      "             in Math.max/min/hypot), for...of, const [a, b] = xs, arrow helpers, switch, arrays grown by push,\n" +
      "             methods over matrix rows (implies --arrays --rows)\n" +
      "  --methods-v1  --methods without push arrays and matrix-row methods (the programs of older --methods runs)\n" +
      "  --classes  classes: fields, methods, getters, statics, a subclass calling super, functions taking\n" +
      "             instances (implies --structs; combines with the flags above)\n" +
      "  --reassign let arrays assigned again in loops: x = x.map(...), buffers swapped ([u, v] = [v, u], through\n" +
      "             a temporary) or rotated, h = hNew, helpers' array results assigned back (implies --arrays;\n" +
      "             combines with the flags above)\n" +
      "  --idioms   a --methods program of one exported function plus functions in the newest forms: results with\n" +
      "             booleans and string literal unions, pop, method chains, out parameters, optional parameters,\n" +
      "             untyped new Array(n), local matrices, growing and sliced arrays of objects, World.bodies,\n" +
      "             value classes, void updates of two objects, do...while (implies --methods; details in\n" +
      "             test/fuzz/idioms.ts)\n" +
      "  --hvp      also compile with --hvp and check every f_hvp against central differences of f_grad along a\n" +
      "             random direction (where the gradient is smooth), and its gradient against f_grad's\n" +
      "  --checkpoint  also compile with '// tsgrad: checkpoint' above every loop that allows it and check that\n" +
      "             each gradient is the one recorded in full\n" +
      "  (details in test/fuzz/main.ts and generator.ts)\n",
  );
  process.exit(problem ? 2 : 0);
}

// ---------------------------------------------------------------- one program

/** The generator's options, and the checks' (`hvp`: compile with --hvp and check f_hvp). */
type FuzzOptions = GenOptions & { hvp?: boolean; checkpoint?: boolean };

function runOne(seed: number, index: number, options: FuzzOptions, reduce: boolean): Outcome {
  const started = performance.now();
  const program = generateProgram(seed, options);
  const source = printProgram(program);
  const entries = entriesOf(program);
  const result = checkProgram(source, entries, { pointSeed: seed, points: 4, avoid: options.avoid, primalJs: printProgramJs(program), ...(options.hvp ? { hvp: true } : {}), ...(options.checkpoint ? { checkpoint: true } : {}) });
  const outcome: Outcome = { index, seed, stats: result.stats, failures: result.failures, ms: 0 };
  if (result.failures.length > 0) {
    outcome.source = source;
    outcome.code = result.code;
    // ts-error and primal-threw are generator bugs: the program itself is the report.
    if (reduce && !["ts-error", "primal-threw", "fuzzer-error"].includes(result.failures[0]!.kind)) {
      const reduced = reduceProgram(program, result.failures[0]!, { pointSeed: seed, avoid: options.avoid, ...(options.hvp ? { hvp: true } : {}), ...(options.checkpoint ? { checkpoint: true } : {}) });
      outcome.reduced = reduced.source;
      outcome.reducedFailure = reduced.failure;
    }
  }
  outcome.ms = performance.now() - started;
  return outcome;
}

// ---------------------------------------------------------------- worker

if (!isMainThread && (workerData as { fuzzWorker?: boolean } | undefined)?.fuzzWorker) {
  const { runSeed, options, reduce } = workerData as { runSeed: number; options: FuzzOptions; reduce: boolean };
  parentPort!.on("message", (task: Task) => {
    let outcome: Outcome;
    const seed = programSeed(runSeed, task.index);
    try {
      outcome = runOne(seed, task.index, options, reduce);
    } catch (error) {
      outcome = {
        index: task.index,
        seed,
        stats: emptyStats(),
        failures: [{ kind: "fuzzer-error", message: `fuzzer error: ${(error as Error).stack ?? String(error)}` }],
        ms: 0,
      };
    }
    parentPort!.postMessage(outcome);
  });
}

function emptyStats(): CheckStats {
  return { functions: 0, points: 0, checkedPoints: 0, skippedRange: 0, skippedNonsmooth: 0, derivatives: 0, wrtChecks: 0, checkpointedLoops: 0 };
}

// ---------------------------------------------------------------- main

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** The generator flags of a run, as given on the command line. */
function flags(args: Args): string {
  const classes = `${args.classes ? " --classes" : ""}${args.reassign ? " --reassign" : ""}`;
  if (args.idioms) return ` --idioms${classes}`;
  if (args.methods) return `${args.methodsV1 ? " --methods-v1" : " --methods"}${classes}`;
  return `${args.arrays && !args.reassign ? " --arrays" : ""}${args.rows ? " --rows" : args.structs && !args.classes ? " --structs" : ""}${classes}`;
}

function writeFailure(args: Args, o: Outcome): string {
  const dir = path.resolve(args.out, `seed${args.seed}-program${o.index}`);
  fs.mkdirSync(dir, { recursive: true });
  if (o.source) fs.writeFileSync(path.join(dir, "program.ts"), o.source);
  if (o.code) fs.writeFileSync(path.join(dir, "program.grad.ts"), o.code);
  if (o.reduced) fs.writeFileSync(path.join(dir, "reduced.ts"), o.reduced);
  const lines = [
    `run seed ${args.seed}, program ${o.index}, program seed ${o.seed} (rerun: npm run fuzz -- --program ${o.seed}${flags(args)}${args.workarounds ? "" : " --no-workarounds"})`,
    "",
    ...o.failures.map((f) => `${f.kind}${f.fn ? ` in ${f.fn}` : ""}${f.point ? ` at ${JSON.stringify(f.point)}` : ""}:\n${f.message}\n`),
  ];
  if (o.reducedFailure) lines.push("reduced program fails with:", `${o.reducedFailure.kind}${o.reducedFailure.point ? ` at ${JSON.stringify(o.reducedFailure.point)}` : ""}: ${o.reducedFailure.message}`);
  fs.writeFileSync(path.join(dir, "failure.txt"), `${lines.join("\n")}\n`);
  return dir;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const options: FuzzOptions = { arrays: args.arrays, structs: args.structs, rows: args.rows, methods: args.methods, methodsV1: args.methodsV1, classes: args.classes, reassign: args.reassign, idioms: args.idioms, avoid: args.workarounds ? AVOID_KNOWN : [], ...(args.hvp ? { hvp: true } : {}), ...(args.checkpoint ? { checkpoint: true } : {}) };

  if (args.program !== undefined) {
    const program = generateProgram(args.program, options);
    const o = runOne(args.program, 0, options, args.reduce);
    process.stdout.write(printProgram(program));
    process.stdout.write(`\n${JSON.stringify(o.stats)}\n`);
    for (const f of o.failures) process.stdout.write(`\n${f.kind}${f.fn ? ` in ${f.fn}` : ""}${f.point ? ` at ${JSON.stringify(f.point)}` : ""}:\n${f.message}\n`);
    if (o.reduced) process.stdout.write(`\nreduced:\n${o.reduced}\n${o.reducedFailure?.kind}: ${o.reducedFailure?.message}\n`);
    process.exitCode = o.failures.length > 0 ? 1 : 0;
    return;
  }

  const started = performance.now();
  const progressFile = path.resolve(args.out, `progress-seed${args.seed}${args.arrays ? "-arrays" : ""}${args.structs ? "-structs" : ""}${args.rows ? "-rows" : ""}${args.methods ? "-methods" : ""}${args.classes ? "-classes" : ""}${args.reassign ? "-reassign" : ""}${args.idioms ? "-idioms" : ""}${args.hvp ? "-hvp" : ""}${args.checkpoint ? "-checkpoint" : ""}.json`);
  const progress = args.resume ? readProgress(progressFile, args) : newProgress(args);
  const total = progress.stats;
  const failureKinds = new Map<string, number>(Object.entries(progress.failureKinds));
  const first = progress.next;
  let done = first;
  let next = first;
  let slowest = { ms: 0, index: -1 };
  let interrupted = false;
  let lastPrint = 0;
  let lastSave = 0;
  // Outcomes that finished before a lower index did: folded into the totals once the gap closes.
  const finishedEarly = new Map<number, Outcome>();
  progress.compilers.push([first, compilerCommit()]);
  process.stdout.write(
    `tsgrad fuzz: ${args.count} programs, seed ${args.seed}, ${args.workers} worker${args.workers === 1 ? "" : "s"}${args.arrays ? ", arrays" : ""}${args.structs ? ", structs" : ""}${args.rows ? ", rows" : ""}${args.methods ? (args.methodsV1 ? ", methods (v1)" : ", methods") : ""}${args.classes ? ", classes" : ""}${args.reassign ? ", reassign" : ""}${args.idioms ? ", idioms" : ""}` +
      `${first > 0 ? `, resuming at program ${first}` : ""}\n`,
  );

  const saveProgress = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastSave < 10000) return;
    lastSave = now;
    progress.seconds = progressSecondsBefore + Math.round((now - started) / 1000);
    progress.failureKinds = Object.fromEntries(failureKinds);
    fs.mkdirSync(path.dirname(progressFile), { recursive: true });
    fs.writeFileSync(`${progressFile}.tmp`, `${JSON.stringify(progress, null, 2)}\n`);
    fs.renameSync(`${progressFile}.tmp`, progressFile);
  };
  const progressSecondsBefore = progress.seconds;

  const printProgress = (force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastPrint < 5000) return;
    lastPrint = now;
    const elapsed = now - started;
    const rate = (done - first) / (elapsed / 1000);
    const eta = rate > 0 ? ((args.count - done) / rate) * 1000 : 0;
    const pct = ((100 * done) / args.count).toFixed(1);
    process.stdout.write(
      `[${formatDuration(elapsed)}] ${done}/${args.count} (${pct}%) ${rate.toFixed(1)} programs/s, eta ${formatDuration(eta)}; ` +
        `points checked ${total.checkedPoints}, skipped ${total.skippedNonsmooth} nonsmooth + ${total.skippedRange} range; failing programs ${progress.failing.length}\n`,
    );
  };

  await new Promise<void>((resolve) => {
    const timers = new Map<Worker, { index: number; since: number }>();
    let live = 0;
    const record = (o: Outcome): void => {
      done++;
      if (o.ms > slowest.ms) slowest = { ms: o.ms, index: o.index };
      if (o.failures.length > 0) {
        for (const f of new Set(o.failures.map((x) => x.kind))) failureKinds.set(f, (failureKinds.get(f) ?? 0) + 1);
        const dir = writeFailure(args, o);
        const f = o.failures[0]!;
        process.stdout.write(`FAIL program ${o.index} (seed ${o.seed}): ${f.kind}${f.fn ? ` in ${f.fn}` : ""}: ${f.message.split("\n")[0]} -> ${path.relative(process.cwd(), dir)}\n`);
      }
      finishedEarly.set(o.index, o);
      while (finishedEarly.has(progress.next)) {
        const d = finishedEarly.get(progress.next)!;
        finishedEarly.delete(progress.next);
        progress.next++;
        for (const k of Object.keys(total) as (keyof CheckStats)[]) total[k] += d.stats[k];
        if (d.failures.length > 0) progress.failing.push({ index: d.index, seed: d.seed, kind: d.failures[0]!.kind, message: d.failures[0]!.message.split("\n")[0]! });
      }
      printProgress(false);
      saveProgress(false);
    };
    const spawn = (): void => {
      const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { fuzzWorker: true, runSeed: args.seed, options, reduce: args.reduce } });
      live++;
      const feed = (): void => {
        if (next >= args.count) {
          timers.delete(worker);
          void worker.terminate();
          return;
        }
        const index = next++;
        timers.set(worker, { index, since: performance.now() });
        worker.postMessage({ index } satisfies Task);
      };
      worker.on("message", (o: Outcome) => {
        record(o);
        feed();
      });
      worker.on("error", (error) => {
        const t = timers.get(worker);
        if (t) record({ index: t.index, seed: programSeed(args.seed, t.index), stats: emptyStats(), failures: [{ kind: "fuzzer-error", message: `worker died: ${error.message}` }], ms: 0, source: printProgram(generateProgram(programSeed(args.seed, t.index), options)) });
        timers.delete(worker);
      });
      worker.on("exit", () => {
        live--;
        if (timers.has(worker)) timers.delete(worker);
        if (next < args.count) spawn();
        else if (live === 0) resolve();
      });
      feed();
    };
    // Ctrl-C / SIGTERM: stop, and summarise the programs checked so far.
    const stop = (): void => {
      if (interrupted) process.exit(130);
      interrupted = true;
      process.stdout.write(`\ninterrupted after ${done} programs; stopping the workers\n`);
      next = args.count;
      for (const worker of [...timers.keys()]) {
        timers.delete(worker);
        void worker.terminate();
      }
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    for (let w = 0; w < Math.min(args.workers, args.count); w++) spawn();
    if (args.count === 0) resolve();
    const watchdog = setInterval(() => {
      const now = performance.now();
      for (const [worker, t] of timers) {
        if (now - t.since > args.timeout * 1000) {
          timers.delete(worker);
          const seed = programSeed(args.seed, t.index);
          record({ index: t.index, seed, stats: emptyStats(), failures: [{ kind: "derivative-threw", message: `hang: no result after ${args.timeout}s (killed)` }], ms: now - t.since, source: printProgram(generateProgram(seed, options)) });
          void worker.terminate();
        }
      }
      printProgress(false);
    }, 1000);
    watchdog.unref();
  });

  const elapsed = performance.now() - started;
  printProgress(true);
  saveProgress(true);
  const summary = {
    count: progress.next,
    requested: args.count,
    interrupted,
    seed: args.seed,
    arrays: args.arrays,
    structs: args.structs,
    rows: args.rows,
    methods: args.methods,
    methodsV1: args.methodsV1,
    classes: args.classes,
    reassign: args.reassign,
    idioms: args.idioms,
    workers: args.workers,
    seconds: progress.seconds,
    ...total,
    failingPrograms: progress.failing.length,
    failureKinds: Object.fromEntries(failureKinds),
    failing: progress.failing,
    compilers: progress.compilers,
    slowestProgram: slowest,
  };
  fs.mkdirSync(path.resolve(args.out), { recursive: true });
  const summaryFile = path.resolve(args.out, `summary-seed${args.seed}-count${args.count}.json`);
  fs.writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
  const pct = (n: number): string => `${((100 * n) / Math.max(1, total.points)).toFixed(1)}%`;
  process.stdout.write(
    [
      "",
      `Summary: ${progress.next} programs${interrupted ? ` (interrupted; ${args.count} requested)` : ""}, seed ${args.seed}, ${formatDuration(elapsed)}${first > 0 ? ` (${formatDuration(progress.seconds * 1000)} over the whole run)` : ""}`,
      `  functions checked      ${total.functions}`,
      `  points                 ${total.points}: checked ${total.checkedPoints} (${pct(total.checkedPoints)}), skipped nonsmooth ${total.skippedNonsmooth} (${pct(total.skippedNonsmooth)}), skipped out of range ${total.skippedRange} (${pct(total.skippedRange)})`,
      `  derivatives compared   ${total.derivatives} (finite differences), wrt-restricted compiles ${total.wrtChecks}${total.checkpointedLoops > 0 ? `, checkpointed loops ${total.checkpointedLoops}` : ""}`,
      `  failing programs       ${progress.failing.length}${progress.failing.length > 0 ? `: ${[...failureKinds].map(([k, n]) => `${k} ${n}`).join(", ")}` : ""}`,
      `  summary                ${path.relative(process.cwd(), summaryFile)}`,
      "",
    ].join("\n"),
  );
  process.exitCode = progress.failing.length > 0 ? 1 : 0;
}

function newProgress(args: Args): Progress {
  return { seed: args.seed, arrays: args.arrays, structs: args.structs, rows: args.rows, methods: args.methods, methodsV1: args.methodsV1, classes: args.classes, reassign: args.reassign, idioms: args.idioms, count: args.count, next: 0, seconds: 0, stats: emptyStats(), failing: [], failureKinds: {}, compilers: [] };
}

function readProgress(file: string, args: Args): Progress {
  if (!fs.existsSync(file)) usage(`--resume: no run to resume (${path.relative(process.cwd(), file)} does not exist)`);
  const progress = JSON.parse(fs.readFileSync(file, "utf8")) as Progress;
  if (progress.seed !== args.seed || progress.arrays !== args.arrays || (progress.structs ?? false) !== args.structs || (progress.rows ?? false) !== args.rows || (progress.methods ?? false) !== args.methods) usage(`--resume: ${file} records another run`);
  // A --methods run recorded before methodsV1 existed generated the v1 programs.
  if ((progress.methods ?? false) && (progress.methodsV1 ?? true) !== args.methodsV1) usage(`--resume: ${file} records a --methods${progress.methodsV1 ?? true ? "-v1" : ""} run`);
  if ((progress.classes ?? false) !== args.classes || (progress.reassign ?? false) !== args.reassign || (progress.idioms ?? false) !== args.idioms) usage(`--resume: ${file} records another run`);
  progress.count = args.count;
  return progress;
}

/** The commit the compiler under test was built from ("+dirty" with uncommitted changes). */
function compilerCommit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "runtime"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return dirty ? `${head}+dirty` : head;
  } catch {
    return "unknown";
  }
}

if (isMainThread) await main();
