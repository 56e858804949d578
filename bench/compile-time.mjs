#!/usr/bin/env node
// Times compile() on the golden fixtures and the examples (mode both), with the tidy pass on
// (tidy "all", the default) and off (tidy "off"), to see what tidying costs.
//
//   node bench/compile-time.mjs                      # this checkout's compiler (npm run build first)
//   node bench/compile-time.mjs --compiler DIR       # the compiler built in another checkout DIR
//   node bench/compile-time.mjs --runs 9             # timed runs per input and setting (default 7)
//   node bench/compile-time.mjs --wall               # wall-clock time instead of processor time
//   node bench/compile-time.mjs --json               # one JSON object instead of the table
//
// Every input is compiled once untimed (warm-up), then in each round with tidy on and off one
// after the other (the order alternating between rounds), so that a machine busy with something
// else slows both alike. Reported: the median of the runs, in milliseconds of processor time. One compile cache is
// shared by all compiles, as the bundler plugins and the fuzzer do, so the TypeScript library
// files are parsed once and the times are the compiler's own. The sources are always this
// checkout's (see generated-lines.mjs for comparing with an older commit).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { builtCompiler, median, modelSources, option, repo } from "./compile-common.mjs";

const args = process.argv.slice(2);
const compilerRoot = builtCompiler(option(args, "--compiler") ?? repo);
const runs = Number(option(args, "--runs") ?? 7);
const json = args.includes("--json");

const { compile, createCompileCache } = await import(pathToFileURL(path.join(compilerRoot, "dist", "src", "index.js")).href);
const cache = createCompileCache();
const settings = ["all", "off"];
const inputs = modelSources().map((file) => ({ file, text: fs.readFileSync(file, "utf8"), times: { all: [], off: [] } }));

// Processor time of this process (compile() is synchronous), which a shared machine disturbs
// less than wall-clock time; --wall measures wall-clock time instead.
const wall = args.includes("--wall");
const now = () => {
  if (wall) return performance.now();
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
const timeOne = (input, tidy) => {
  const start = now();
  const result = compile({ fileName: input.file, sourceText: input.text, mode: "both", tidy, cache });
  const ms = now() - start;
  if (result.code === undefined) throw new Error(`${path.relative(repo, input.file)}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return ms;
};

for (const input of inputs) for (const tidy of settings) timeOne(input, tidy);
for (let round = 0; round < runs; round++) {
  const order = round % 2 === 0 ? settings : [...settings].reverse();
  for (const input of inputs) for (const tidy of order) input.times[tidy].push(timeOne(input, tidy));
}

const rows = inputs.map((input) => ({ file: path.relative(repo, input.file), all: median(input.times.all), off: median(input.times.off) }));
const total = { file: "total", all: 0, off: 0 };
for (const r of rows) {
  total.all += r.all;
  total.off += r.off;
}
if (json) {
  console.log(JSON.stringify({ compiler: compilerRoot, runs, clock: wall ? "wall" : "cpu", rows, total }, null, 2));
} else {
  const width = Math.max(...rows.map((r) => r.file.length), 5);
  const ms = (x) => x.toFixed(1).padStart(9);
  console.log(`compiler: ${path.relative(process.cwd(), compilerRoot) || "."}   median of ${runs} runs, ms of ${wall ? "wall-clock" : "processor"} time`);
  console.log(`${"file".padEnd(width)}  tidy all  tidy off     tidy  tidy share`);
  for (const r of [...rows, total]) {
    const share = `${((100 * (r.all - r.off)) / r.all).toFixed(0)}%`;
    console.log(`${r.file.padEnd(width)} ${ms(r.all)} ${ms(r.off)} ${ms(r.all - r.off)}  ${share.padStart(10)}`);
  }
}
