/**
 * GradBench's protocol (github.com/gradbench/gradbench, CONTRIBUTING.md "Protocol"), tool side:
 * one JSON message per line on standard input, one JSON response per line on standard output
 * and nothing else there. `define` says whether a module exists; `evaluate` runs a function of
 * it on the input once as a warm-up (a `warmup` timing), then at least `min_runs` times and
 * `min_seconds` in all when the input says so, reporting each run's time as an `evaluate` timing
 * (JSON conversion outside the timed part).
 */

export interface Timing {
  name: string;
  nanoseconds: number;
}

export type Message =
  | { id: number; kind: "start"; eval?: string }
  | { id: number; kind: "define"; module: string }
  | { id: number; kind: "evaluate"; module: string; function: string; input: unknown }
  | { id: number; kind: "analysis"; of: number; valid: boolean; error?: string };

export type Response = { id: number; tool?: string; success?: boolean; output?: unknown; timings?: Timing[]; error?: string };

/** A function of a module: `prepare` turns the JSON input into arguments (untimed), `run` is timed, `output` makes JSON of its result (untimed). */
export interface EvalFunction<A = unknown, R = unknown> {
  prepare: (input: unknown) => A;
  run: (args: A) => R;
  output: (result: R) => unknown;
}

export type Modules = Record<string, Record<string, EvalFunction>>;

/** The clock: a monotonic time in nanoseconds. */
export type Clock = () => bigint;

const defaultClock: Clock = () => process.hrtime.bigint();

/** The response to one message. */
export function respond(message: Message, modules: Modules, clock: Clock = defaultClock): Response {
  switch (message.kind) {
    case "start":
      return { id: message.id, tool: "tsgrad" };
    case "define":
      return modules[message.module] ? { id: message.id, success: true } : { id: message.id, success: false, error: `tsgrad has no module '${message.module}'` };
    case "evaluate": {
      const fn = modules[message.module]?.[message.function];
      if (!fn) return { id: message.id, success: false, error: `tsgrad has no function '${message.function}' in '${message.module}'` };
      try {
        const args = fn.prepare(message.input);
        const runs = message.input as { min_runs?: number; min_seconds?: number };
        const minRuns = Math.max(1, runs.min_runs ?? 1);
        const minNanoseconds = BigInt(Math.round((runs.min_seconds ?? 0) * 1e9));
        // One run before the timed ones, reported as a "warmup" timing (GradBench's Julia tools do
        // the same): V8 compiles the code on its first calls and the tape grows to what the input
        // needs. The "evaluate" timings, the ones GradBench scores, are of the runs after it.
        const warmupStart = clock();
        let result: unknown = fn.run(args);
        const timings: Timing[] = [{ name: "warmup", nanoseconds: Number(clock() - warmupStart) }];
        let timed = 0;
        let total = 0n;
        while (timed < minRuns || total < minNanoseconds) {
          const start = clock();
          result = fn.run(args);
          const took = clock() - start;
          total += took;
          timed++;
          timings.push({ name: "evaluate", nanoseconds: Number(took) });
        }
        return { id: message.id, success: true, output: fn.output(result), timings };
      } catch (error) {
        return { id: message.id, success: false, error: error instanceof Error ? error.message : String(error) };
      }
    }
    default:
      return { id: message.id };
  }
}

/** Answers each line of `lines` (JSON messages) with a line of JSON, in order. */
export function* session(lines: Iterable<string>, modules: Modules, clock: Clock = defaultClock): Generator<string> {
  for (const line of lines) {
    if (line.trim() === "") continue;
    yield JSON.stringify(respond(JSON.parse(line) as Message, modules, clock));
  }
}
