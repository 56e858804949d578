/**
 * Running the CLI (in process, or as `node bin/tsgrad.js`: see ../helpers/cli.ts) and reading
 * what it printed: diagnostics parsed from stderr, code frames; temporary directories and
 * snapshots of them.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export { type CliResult, assertBuilt, cliPath, repoRoot, runBin, runCli } from "../helpers/cli.js";

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
