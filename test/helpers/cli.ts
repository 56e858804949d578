/**
 * Two ways to run the CLI in tests:
 *
 * - `runCli`: in this process, through `main(argv, io)` of src/cli/main.ts, with standard output
 *   and error captured. The working directory is switched to `cwd` for the run (and back), so the
 *   compiler sees the same process.cwd() as a real run there. Runs are serialized, because the
 *   working directory belongs to the whole process. This is what almost every CLI test uses: it
 *   costs a compile, not a Node start plus a TypeScript load (seconds each on a busy machine).
 * - `runBin`: `node bin/tsgrad.js` in a child process, against dist/ (built by `npm run build`,
 *   which `npm test` runs first). Only for the few tests that prove the shipped binary works end
 *   to end, or that need a process of their own (environment variables read at start-up).
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/main.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const cliPath = path.join(repoRoot, "bin/tsgrad.js");
const builtMain = path.join(repoRoot, "dist/src/cli/main.js");

export interface CliResult {
  /** Exit status (null when a child process was killed). */
  status: number | null;
  /** The signal that killed a child process; always null in process. */
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Wall-clock time of the run. */
  ms: number;
  /** CPU time (user + system) of the run in process, which other processes' load hardly changes; undefined for a child process. */
  cpuMs?: number;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `tsgrad ...args` in this process, as if started in `cwd`. */
export function runCli(args: string[], cwd: string): Promise<CliResult> {
  const run = async (): Promise<CliResult> => {
    let stdout = "";
    let stderr = "";
    const previous = process.cwd();
    const started = performance.now();
    const cpu = process.cpuUsage();
    process.chdir(cwd);
    try {
      const status = await main(["node", cliPath, ...args], {
        out: (text) => (stdout += `${text}\n`),
        err: (text) => (stderr += `${text}\n`),
        cwd,
      });
      const used = process.cpuUsage(cpu);
      return { status, signal: null, stdout, stderr, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
    } finally {
      process.chdir(previous);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Runs `node bin/tsgrad.js ...args` in `cwd` as a child process. */
export function runBin(args: string[], cwd: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        const e = error as (NodeJS.ErrnoException & { code?: number | string; signal?: string }) | null;
        resolve({
          status: e ? (typeof e.code === "number" ? e.code : null) : 0,
          signal: e?.signal ?? null,
          stdout: String(stdout),
          stderr: String(stderr),
          ms: performance.now() - started,
        });
      },
    );
  });
}

/** Throws when the CLI is not built, or older than the sources it is built from (for `runBin`). */
export function assertBuilt(): void {
  if (!fs.existsSync(builtMain)) throw new Error("The CLI is not built: run `npm run build` (npm test does) before these tests.");
  const built = fs.statSync(builtMain).mtimeMs;
  const newer: string[] = [];
  const visit = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.name.endsWith(".ts") && fs.statSync(full).mtimeMs > built) newer.push(path.relative(repoRoot, full));
    }
  };
  visit(path.join(repoRoot, "src"));
  if (newer.length > 0) throw new Error(`dist/ is older than ${newer.slice(0, 3).join(", ")}: run \`npm run build\` (npm test does) before these tests.`);
}
