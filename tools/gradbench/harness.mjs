#!/usr/bin/env node
/**
 * Runs one of GradBench's evals against a tool on this machine, without Docker or GradBench's
 * Rust CLI: starts the eval (GradBench's Python script) and the tool as two processes and passes
 * each message line from one to the other, as `gradbench run` does. The eval validates every
 * output against the `manual` C++ tool itself (it runs `tools/manual/bin/<eval>`).
 *
 *   node tools/gradbench/harness.mjs --gradbench DIR --eval gmm [--tool tsgrad|manual]
 *        [--record FILE] [--quiet] [-- eval options such as -d 2 -k 5 --min-seconds 0]
 *
 * DIR is a checkout of github.com/gradbench/gradbench with the manual tool built (README.md
 * here says how). Prints one line per evaluation (function, description, valid, mean time) and
 * GradBench's score per function, 1 / mean seconds; exits 1 when an output is invalid or a
 * message fails. `--record FILE` writes each `evaluate` message with the tool's response as
 * JSON lines, for the outputs the eval found valid: the replay data of test/gradbench.test.ts is
 * recorded this way with `--tool manual` (particle and saddle, which the manual tool lacks, with
 * tsgrad: the eval checks them against its own expected values).
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const usage = "usage: node tools/gradbench/harness.mjs --gradbench DIR --eval NAME [--tool tsgrad|manual] [--record FILE] [--quiet] [-- eval options]";

function parseArguments(argv) {
  const options = { tool: "tsgrad", evalArgs: [], quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${arg} needs a value\n${usage}`);
      return argv[++i];
    };
    if (arg === "--") {
      options.evalArgs = argv.slice(i + 1);
      break;
    } else if (arg === "--gradbench") options.gradbench = resolve(value());
    else if (arg === "--eval") options.eval = value();
    else if (arg === "--tool") options.tool = value();
    else if (arg === "--record") options.record = resolve(value());
    else if (arg === "--quiet") options.quiet = true;
    else if (arg === "--help" || arg === "-h") {
      console.log(usage);
      process.exit(0);
    } else fail(`unknown option ${arg}\n${usage}`);
  }
  if (!options.gradbench || !options.eval) fail(usage);
  if (options.tool !== "tsgrad" && options.tool !== "manual") fail(`--tool is tsgrad or manual, not ${options.tool}`);
  return options;
}

function fail(message) {
  console.error(message);
  process.exit(2);
}

/** The tool's command: tsgrad's built protocol loop, or GradBench's runner of the manual C++ binaries. */
function toolCommand(tool) {
  if (tool === "tsgrad") return ["node", [resolve(dirname(fileURLToPath(import.meta.url)), "dist/run.mjs")]];
  return ["python3", ["python/gradbench/gradbench/cpp.py", "manual"]];
}

const options = parseArguments(process.argv.slice(2));
// GradBench's Python package first, then whatever PYTHONPATH already names (modules an eval needs,
// such as the dataclasses_json of ht's and lstm's eval scripts).
const env = { ...process.env, PYTHONPATH: [resolve(options.gradbench, "python/gradbench"), process.env.PYTHONPATH].filter(Boolean).join(":") };
const evalProcess = spawn("python3", [`python/gradbench/gradbench/evals/${options.eval}/run.py`, ...options.evalArgs], { cwd: options.gradbench, env, stdio: ["pipe", "pipe", "inherit"] });
const [command, args] = toolCommand(options.tool);
const toolProcess = spawn(command, args, { cwd: options.gradbench, env, stdio: ["pipe", "pipe", "inherit"] });
for (const stream of [evalProcess.stdin, toolProcess.stdin]) stream.on("error", () => {}); // a side that has ended

const pending = new Map(); // id -> message sent to the tool, until its response
const evaluations = new Map(); // id of an evaluate message -> what is reported about it
let failures = 0;

createInterface({ input: evalProcess.stdout, crlfDelay: Infinity }).on("line", (line) => {
  if (line.trim() === "") return;
  const message = JSON.parse(line);
  pending.set(message.id, message);
  if (message.kind === "analysis") {
    const evaluation = evaluations.get(message.of);
    if (evaluation) {
      evaluation.valid = message.valid;
      if (!message.valid) {
        failures++;
        evaluation.error = message.error;
      }
      report(evaluation);
    }
  }
  toolProcess.stdin.write(`${line}\n`);
  if (message.kind === "end") toolProcess.stdin.end();
});

createInterface({ input: toolProcess.stdout, crlfDelay: Infinity }).on("line", (line) => {
  if (line.trim() === "") return;
  const response = JSON.parse(line);
  const message = pending.get(response.id);
  pending.delete(response.id);
  if (message?.kind === "define" && !response.success) {
    failures++;
    console.error(`define ${message.module}: ${response.error ?? "not supported"}`);
  }
  if (message?.kind === "evaluate") {
    const times = (response.timings ?? []).filter((t) => t.name === "evaluate").map((t) => t.nanoseconds);
    const evaluation = { function: message.function, description: message.description ?? "", success: response.success, error: response.error, runs: times.length, meanNs: times.length ? times.reduce((a, b) => a + b, 0) / times.length : NaN };
    evaluations.set(message.id, evaluation);
    if (!response.success) {
      failures++;
      report(evaluation);
    }
    if (options.record) {
      let input = message.input;
      if (input !== null && typeof input === "object") {
        input = { ...input };
        delete input.min_runs;
        delete input.min_seconds;
      }
      evaluation.record = JSON.stringify({ function: message.function, description: message.description, input, output: response.output });
    }
  }
  evalProcess.stdin.write(`${line}\n`);
});

function report(evaluation) {
  if (options.quiet && evaluation.valid !== false && evaluation.success) return;
  const outcome = !evaluation.success ? `failed: ${evaluation.error}` : evaluation.valid ? "valid" : `INVALID\n${evaluation.error ?? ""}`;
  const time = Number.isFinite(evaluation.meanNs) ? `${(evaluation.meanNs / 1e6).toFixed(3)} ms (${evaluation.runs} runs)` : "";
  console.log(`${options.eval} ${evaluation.function} ${evaluation.description}: ${outcome} ${time}`);
}

const exited = (child) => new Promise((done) => child.on("close", (code) => done(code)));
evalProcess.on("close", () => toolProcess.stdin.end()); // the eval is done: so is the tool
const [evalCode] = await Promise.all([exited(evalProcess), exited(toolProcess)]);
// (Only outputs the eval found valid: replay data of a tool's own outputs holds what the eval checked.)
const recorded = [...evaluations.values()].filter((e) => e.record && e.valid === true).map((e) => e.record);
if (options.record) writeFileSync(options.record, `${recorded.join("\n")}\n`);

// GradBench's score: per function, 1 / the sum over the evaluations of their mean times in seconds.
const byFunction = new Map();
for (const e of evaluations.values()) if (e.success) byFunction.set(e.function, (byFunction.get(e.function) ?? 0) + e.meanNs / 1e9);
for (const [fn, seconds] of byFunction) console.log(`${options.eval} ${options.tool} ${fn}: ${[...evaluations.values()].filter((e) => e.function === fn).length} evaluations, mean times sum ${seconds.toFixed(6)} s, score ${(1 / seconds).toFixed(3)}`);
if (evalCode !== 0) console.error(`the eval exited with code ${evalCode}`);
process.exit(failures > 0 || evalCode !== 0 ? 1 : 0);
