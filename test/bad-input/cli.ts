/**
 * Running the real CLI (`node bin/tsgrad.js`, built by `npm run build`) and reading what it
 * printed: exit status, diagnostics parsed from stderr, code frames.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const cliPath = path.join(repoRoot, "bin/tsgrad.js");
const builtMain = path.join(repoRoot, "dist/src/cli/main.js");

export interface CliResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/tsgrad.js ...args` in `cwd`. */
export function tsgrad(args: string[], cwd: string, options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
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
        });
      },
    );
  });
}

/** Throws when the CLI is not built, or older than the sources it is built from. */
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

export interface Reported {
  /** File as displayed (relative to the CLI's working directory when inside it). */
  file: string;
  /** 0 when the diagnostic has no location. */
  line: number;
  column: number;
  severity: string;
  code: string;
  message: string;
  /** The code frame under a located diagnostic: the source line and the caret line. */
  frame?: { source: string; carets: string };
}

/** Diagnostics printed by the CLI (`file:line:col - error CODE: message`, then a code frame). */
export function parseDiagnostics(stderr: string): Reported[] {
  const lines = stderr.split("\n");
  const out: Reported[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(.+?)(?::(\d+):(\d+))? - (error|warning|note) (TS\d+|TSG\d+): (.*)$/.exec(lines[i]!);
    if (!m) continue;
    const d: Reported = { file: m[1]!, line: Number(m[2] ?? 0), column: Number(m[3] ?? 0), severity: m[4]!, code: m[5]!, message: m[6]! };
    if (d.line > 0 && /^ {2}\d+ \| /.test(lines[i + 1] ?? "") && /^ {2} +\| /.test(lines[i + 2] ?? "")) {
      d.frame = { source: lines[i + 1]!, carets: lines[i + 2]! };
    }
    out.push(d);
  }
  return out;
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tsgrad-${prefix}-`));
}

/** Every file below `dir` with its bytes (symlinks and sockets by kind), for before/after comparisons. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      const rel = path.relative(dir, full);
      if (e.isSymbolicLink()) out[rel] = `symlink -> ${fs.readlinkSync(full)}`;
      else if (e.isDirectory()) {
        out[`${rel}/`] = "directory";
        visit(full);
      } else if (e.isFile()) out[rel] = fs.readFileSync(full, "utf8");
      else out[rel] = "special file";
    }
  };
  visit(dir);
  return out;
}
