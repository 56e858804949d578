/**
 * The GradBench tool (tools/gradbench): the protocol's rounds, the `hello` session its eval
 * script plays, `lse` against an independent computation with GradBench's tolerance, kmeans'
 * Newton step against its closed form, particle's and saddle's nested derivatives against
 * central differences, the timing rules (a warm-up run, then min_runs, min_seconds, one timing
 * per run), the checked-in generated modules kept
 * fresh, and the built tool as a process (JSON lines only on standard output).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { modules } from "../tools/gradbench/modules.js";
import { type Message, type Response, respond, session } from "../tools/gradbench/protocol.js";
import { repoRoot } from "./helpers/fixtures.js";

/** GradBench's comparison of floats: |x - y| / max(1, |x| + |y|) <= 1e-4. */
const close = (x: number, y: number): boolean => Math.abs(x - y) / Math.max(1, Math.abs(x) + Math.abs(y)) <= 1e-4;

/** Where `actual` differs from `expected` as GradBench's comparison sees it: numbers within `close`, the rest equal in shape and value. */
function mismatches(expected: unknown, actual: unknown, at = "output"): string[] {
  if (typeof expected === "number" && typeof actual === "number") return close(expected, actual) ? [] : [`${at}: expected ${expected}, got ${actual}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${at}: expected ${expected.length} elements, got ${actual.length}`];
    return expected.flatMap((e, i) => mismatches(e, actual[i], `${at}[${i}]`));
  }
  if (expected !== null && actual !== null && typeof expected === "object" && typeof actual === "object" && !Array.isArray(expected) && !Array.isArray(actual)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    return keys.flatMap((k) => (k in expected && k in actual ? mismatches((expected as Record<string, unknown>)[k], (actual as Record<string, unknown>)[k], `${at}.${k}`) : [`${at}.${k}: present on one side only`]));
  }
  return expected === actual ? [] : [`${at}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`];
}

describe("the GradBench tool", () => {
  it("plays hello's session: start, define, then square and double in turn from 1", () => {
    const responses: Response[] = [];
    let id = 0;
    const send = (m: Omit<Message, "id">): Response => {
      const r = respond({ ...m, id: id++ } as Message, modules);
      responses.push(r);
      return r;
    };
    expect(send({ kind: "start", eval: "hello" } as Omit<Message, "id">)).toEqual({ id: 0, tool: "tsgrad" });
    expect(send({ kind: "define", module: "hello" } as Omit<Message, "id">)).toEqual({ id: 1, success: true });
    let x = 1;
    for (let round = 0; round < 4; round++) {
      const y = send({ kind: "evaluate", module: "hello", function: "square", input: x } as Omit<Message, "id">).output as number;
      expect(close(y, x * x)).toBe(true);
      x = send({ kind: "evaluate", module: "hello", function: "double", input: y } as Omit<Message, "id">).output as number;
      expect(close(x, 2 * y)).toBe(true);
    }
    expect(x).toBe(2 * (2 * (2 * (2 * 1) ** 2) ** 2) ** 2);
    for (const r of responses.filter((r) => r.timings)) expect(r.timings!.map((t) => t.name)).toEqual(["warmup", "evaluate"]);
  });

  it("lse: primal and gradient against an independent LogSumExp and softmax", () => {
    for (const x of [[1, 2, 3], [-1000, 0.5, 999.5, 999.5], [0.25], Array.from({ length: 50 }, (_, i) => Math.sin(i) * 30)]) {
      const m = Math.max(...x);
      const e = x.map((v) => Math.exp(v - m));
      const z = e.reduce((a, b) => a + b, 0);
      const primal = respond({ id: 1, kind: "evaluate", module: "lse", function: "primal", input: { x, min_runs: 1, min_seconds: 0 } }, modules);
      expect(close(primal.output as number, m + Math.log(z)), JSON.stringify(x)).toBe(true);
      const gradient = respond({ id: 2, kind: "evaluate", module: "lse", function: "gradient", input: { x, min_runs: 1, min_seconds: 0 } }, modules);
      const g = gradient.output as number[];
      expect(g.length).toBe(x.length);
      g.forEach((gi, i) => expect(Math.abs(gi - e[i]! / z), `${JSON.stringify(x)}[${i}]`).toBeLessThan(1e-12));
    }
  });

  it("llsq: primal and gradient against the closed form (residuals r_i, gradient -sum_i r_i t_i^j)", () => {
    for (const [x, n] of [[[0.1, 0.9, -0.3], 7], [[0.5], 2], [[0, 1.2, 0, -0.4, 0.05], 101]] as const) {
      const t = Array.from({ length: n }, (_, i) => -1 + (i * 2) / (n - 1));
      const r = t.map((ti) => Math.sign(ti) - x.reduce((acc, xj, j) => acc + xj * ti ** j, 0));
      const primal = respond({ id: 1, kind: "evaluate", module: "llsq", function: "primal", input: { x, n, min_runs: 1, min_seconds: 0 } }, modules);
      expect(close(primal.output as number, r.reduce((acc, ri) => acc + ri * ri, 0) / 2)).toBe(true);
      const gradient = respond({ id: 2, kind: "evaluate", module: "llsq", function: "gradient", input: { x, n, min_runs: 1, min_seconds: 0 } }, modules);
      const expected = x.map((_, j) => -r.reduce((acc, ri, i) => acc + ri * t[i]! ** j, 0));
      (gradient.output as number[]).forEach((g, j) => expect(Math.abs(g - expected[j]!), `x=${JSON.stringify(x)} n=${n} j=${j}`).toBeLessThan(1e-10 * Math.max(1, Math.abs(expected[j]!))));
    }
  });

  it("ode: the solution against the exact one for a small step, its gradient against central differences", () => {
    // With x = (a, 0, ...) the first component is a t exactly (RK4 integrates it exactly): 2a at t = 2.
    const exact = respond({ id: 1, kind: "evaluate", module: "ode", function: "primal", input: { x: [0.7, 0, 0], s: 10, min_runs: 1, min_seconds: 0 } }, modules).output as number[];
    expect(exact.map((v) => Math.abs(v - [1.4, 0, 0][exact.indexOf(v)]!) < 1e-12)).toEqual([true, true, true]);
    // y1' = x1 y0 = x1 x0 t: y1(2) = 2 x0 x1, exact for RK4 (a polynomial of degree 2).
    const second = respond({ id: 2, kind: "evaluate", module: "ode", function: "primal", input: { x: [0.5, 1.5], s: 4, min_runs: 1, min_seconds: 0 } }, modules).output as number[];
    expect(second[1]).toBeCloseTo(2 * 0.5 * 1.5, 12);
    const x = [0.3, -0.8, 1.1, 0.45, -0.2];
    const g = respond({ id: 3, kind: "evaluate", module: "ode", function: "gradient", input: { x, s: 8, min_runs: 1, min_seconds: 0 } }, modules).output as number[];
    const last = (xs: number[]): number => (respond({ id: 4, kind: "evaluate", module: "ode", function: "primal", input: { x: xs, s: 8, min_runs: 1, min_seconds: 0 } }, modules).output as number[]).at(-1)!;
    x.forEach((_, j) => {
      const h = 1e-5;
      const fd = (last(x.map((v, k) => (k === j ? v + h : v))) - last(x.map((v, k) => (k === j ? v - h : v)))) / (2 * h);
      expect(close(g[j]!, fd), `d/dx${j}: ${g[j]} vs ${fd}`).toBe(true);
      expect(Math.abs(g[j]! - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
    });
  });

  it("kmeans: the cost by brute force, dir = each centroid minus the mean of its cluster (the Newton step's closed form)", () => {
    const points = [[0.1, 0.2], [-0.3, 0.1], [0.2, -0.1], [2.9, 3.2], [3.1, 2.7], [3.3, 3.0], [0.05, 0.3]];
    const centroids = [[0, 0], [3, 3]];
    const input = { points, centroids, min_runs: 1, min_seconds: 0 };
    const cost = respond({ id: 1, kind: "evaluate", module: "kmeans", function: "cost", input }, modules).output as number;
    const distance2 = (a: number[], b: number[]) => (a[0]! - b[0]!) ** 2 + (a[1]! - b[1]!) ** 2;
    expect(cost).toBeCloseTo(points.reduce((s, p) => s + Math.min(...centroids.map((c) => distance2(p, c))), 0), 12);
    const dir = respond({ id: 2, kind: "evaluate", module: "kmeans", function: "dir", input }, modules).output as number[][];
    centroids.forEach((c, j) => {
      const cluster = points.filter((p) => distance2(p, c) === Math.min(...centroids.map((d) => distance2(p, d))));
      c.forEach((cl, l) => expect(dir[j]![l]!).toBeCloseTo(cl - cluster.reduce((s, p) => s + p[l]!, 0) / cluster.length, 12));
    });
  });

  it("particle and saddle: the nested derivatives tsgrad generated, in all four combinations of modes, against central differences", async () => {
    const particle = await import("../tools/gradbench/models/particle.js");
    const particleGrad = await import("../tools/gradbench/models/particle.grad.js");
    const h = 1e-6;
    for (const w of [0.1, -0.3]) {
      for (const [flight, grad, jvp] of [
        [particle.naiveEulerR, particleGrad.naiveEulerR_grad, particleGrad.naiveEulerR_jvp],
        [particle.naiveEulerF, particleGrad.naiveEulerF_grad, particleGrad.naiveEulerF_jvp],
      ] as const) {
        const fd = (flight(w + h) - flight(w - h)) / (2 * h);
        expect(Math.abs(grad(w).grad.w - fd), `${flight.name}_grad at ${w}`).toBeLessThan(1e-6 * Math.abs(fd));
        expect(Math.abs(jvp(w, { w: 1 }).tangent - fd), `${flight.name}_jvp at ${w}`).toBeLessThan(1e-6 * Math.abs(fd));
        expect(grad(w).value).toBe(flight(w));
      }
    }
    const saddle = await import("../tools/gradbench/models/saddle.js");
    const saddleGrad = await import("../tools/gradbench/models/saddle.grad.js");
    const start = [1, 1];
    for (const p1 of [[0.6, -0.2], [-0.4, 0.9]]) {
      for (const [max, grad, jvp] of [
        [saddle.maxR, saddleGrad.maxR_grad, saddleGrad.maxR_jvp],
        [saddle.maxF, saddleGrad.maxF_grad, saddleGrad.maxF_jvp],
      ] as const) {
        const g = grad(p1, start).grad.p1;
        [0, 1].forEach((k) => {
          const at = (d: number) => p1.map((v, i) => (i === k ? v + d : v));
          const fd = (max(at(h), start) - max(at(-h), start)) / (2 * h);
          expect(Math.abs(g[k]! - fd), `${max.name}_grad[${k}] at ${p1}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
          const unit = [0, 1].map((i) => (i === k ? 1 : 0));
          expect(Math.abs(jvp(p1, start, { p1: unit }).tangent - fd), `${max.name}_jvp[${k}] at ${p1}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(fd)));
        });
      }
    }
  });

  it("times each run after a warm-up: at least min_runs runs, and runs until min_seconds have passed", () => {
    // A clock that advances 0.15 s at each reading: each run (two readings) takes 0.15 s.
    let now = 0n;
    const clock = (): bigint => (now += 150_000_000n);
    const input = (min_runs: number, min_seconds: number) => ({ x: [1, 2], min_runs, min_seconds });
    const runs = (r: Response): number => r.timings!.filter((t) => t.name === "evaluate").length;
    expect(runs(respond({ id: 1, kind: "evaluate", module: "lse", function: "primal", input: input(3, 0) }, modules, clock))).toBe(3);
    expect(runs(respond({ id: 2, kind: "evaluate", module: "lse", function: "primal", input: input(1, 1) }, modules, clock))).toBe(7); // 6 runs are 0.9 s
    const r = respond({ id: 3, kind: "evaluate", module: "lse", function: "gradient", input: input(2, 0) }, modules, clock);
    expect(r.timings).toEqual([
      { name: "warmup", nanoseconds: 150_000_000 },
      { name: "evaluate", nanoseconds: 150_000_000 },
      { name: "evaluate", nanoseconds: 150_000_000 },
    ]);
  });

  it("answers what it cannot do without crashing: unknown modules and functions, bad input, other kinds", () => {
    expect(respond({ id: 1, kind: "define", module: "no-such-eval" }, modules)).toMatchObject({ id: 1, success: false });
    expect(respond({ id: 2, kind: "evaluate", module: "lse", function: "hessian", input: {} }, modules)).toMatchObject({ id: 2, success: false });
    expect(respond({ id: 3, kind: "evaluate", module: "lse", function: "primal", input: null }, modules)).toMatchObject({ id: 3, success: false });
    expect(respond({ id: 4, kind: "analysis", of: 2, valid: false, error: "no" }, modules)).toEqual({ id: 4 });
    expect([...session(['{"id":0,"kind":"start"}', "", '{"id":1,"kind":"define","module":"hello"}'], modules)]).toEqual(['{"id":0,"tool":"tsgrad"}', '{"id":1,"success":true}']);
  });

  it("its generated modules are what tsgrad writes today (compile-models.mjs --check)", async () => {
    const { modelsToCompile } = (await import(pathToFileURL(path.join(repoRoot, "tools", "gradbench", "compile-models.mjs")).href)) as { modelsToCompile: () => { file: string; flags: string[] }[] };
    const models = modelsToCompile();
    expect(models.map((m) => path.basename(m.file, ".ts"))).toEqual(expect.arrayContaining(Object.keys(modules)));
    for (const { file, flags } of models) {
      const lines: string[] = [];
      const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t), cwd: repoRoot };
      const code = await main(["node", "tsgrad", "compile", file, ...flags, "--check"], io);
      expect(code, `${lines.join("\n")}\nrun: node tools/gradbench/compile-models.mjs`).toBe(0);
    }
  });

  it("type-checks under --strict --noUnusedLocals --noUnusedParameters: the protocol, the evals, the models and their generated modules", () => {
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"],
      skipLibCheck: true,
      paths: { "tsgrad/runtime": [path.join(repoRoot, "runtime/index.ts")] },
    };
    const program = ts.createProgram([path.join(repoRoot, "tools", "gradbench", "run.ts")], options);
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(repoRoot, d.file.fileName) : ""} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(diagnostics).toEqual([]);
  });

  // Replay: inputs recorded from GradBench's eval scripts with the outputs of its `manual` C++
  // tool (tools/gradbench/harness.mjs --tool manual --record), compared as GradBench does. The
  // manual tool has no particle and saddle: their records are tsgrad's outputs that the eval
  // script found valid (it checks them against fixed expected values, not the manual tool).
  const ownRecords = new Set(["particle", "saddle"]);
  const replayDir = path.join(repoRoot, "tools", "gradbench", "replay");
  const replays = fs.readdirSync(replayDir).filter((f) => f.endsWith(".jsonl")).sort();
  it("has replay data for every eval it implements", () => {
    expect(replays.map((f) => f.replace(/\.jsonl$/, ""))).toEqual(Object.keys(modules).sort());
  });
  for (const file of replays) {
    const module = file.replace(/\.jsonl$/, "");
    it(`replays ${module}: every recorded output ${ownRecords.has(module) ? "(tsgrad's, validated by the eval script)" : "of GradBench's manual tool"}, within GradBench's tolerance`, () => {
      const records = fs.readFileSync(path.join(replayDir, file), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { function: string; description?: string; input: unknown; output: unknown });
      expect(records.length).toBeGreaterThan(0);
      for (const [i, r] of records.entries()) {
        const response = respond({ id: i, kind: "evaluate", module, function: r.function, input: typeof r.input === "object" ? { ...r.input, min_runs: 1, min_seconds: 0 } : r.input }, modules);
        expect(response.error, `${module} ${r.function} ${r.description ?? ""}`).toBeUndefined();
        expect(mismatches(r.output, response.output), `${module} ${r.function} ${r.description ?? ""}`).toEqual([]);
      }
    });
  }

  it("built, it speaks only JSON lines on standard output", async () => {
    const { buildTool } = (await import(pathToFileURL(path.join(repoRoot, "tools", "gradbench", "build.mjs")).href)) as { buildTool: (out: string) => Promise<string> };
    const tool = await buildTool(path.join(repoRoot, "test-output", "gradbench", "run.mjs"));
    const messages = [
      { id: 0, kind: "start", eval: "lse" },
      { id: 1, kind: "define", module: "lse" },
      { id: 2, kind: "evaluate", module: "lse", function: "gradient", input: { x: [0, Math.log(3)], min_runs: 2, min_seconds: 0 } },
      { id: 3, kind: "analysis", of: 2, valid: true },
    ];
    const out = execFileSync(process.execPath, [tool], { input: messages.map((m) => JSON.stringify(m)).join("\n") + "\n", encoding: "utf8" });
    const lines = out.trimEnd().split("\n").map((l) => JSON.parse(l) as Response);
    expect(lines.map((r) => r.id)).toEqual([0, 1, 2, 3]);
    const g = lines[2]!.output as number[];
    expect(g[0]).toBeCloseTo(0.25, 14);
    expect(g[1]).toBeCloseTo(0.75, 14);
    expect(lines[2]!.timings!.map((t) => t.name)).toEqual(["warmup", "evaluate", "evaluate"]);
  });
});
