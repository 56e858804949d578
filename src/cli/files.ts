/** File discovery and safe writing for the CLI. */
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../api-types.js";
import { diagNoLocation } from "../diagnostics.js";
import { UsageError } from "./common.js";

export interface Input {
  file: string;
  /** The directory argument it was found under (undefined for a file argument). */
  root: string | undefined;
}

/** Every `*.ts` below `dir` except `*.grad.ts`, `*.d.ts` and `node_modules`, sorted. */
export function findSources(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name === "node_modules" || e.name.startsWith(".")) continue;
        visit(full);
      } else if (e.isFile() && isSource(e.name)) {
        out.push(full);
      }
    }
  };
  visit(dir);
  return out;
}

export function isSource(name: string): boolean {
  return name.endsWith(".ts") && !name.endsWith(".grad.ts") && !name.endsWith(".d.ts");
}

/** A JavaScript source named as a file argument (`model.js`, `model.mjs`; not a generated `.grad.js`). */
export function isJavaScriptSource(name: string): boolean {
  return /\.m?js$/.test(name) && !/\.grad\.m?js$/.test(name);
}

/**
 * `foo.ts` -> `foo.grad.ts` (`foo.js` -> `foo.grad.ts`, which `--emit js` turns into `foo.grad.js`
 * and `foo.grad.d.ts`), beside it or under `outDir` keeping the path relative to `root`.
 */
export function outputPath(input: Input, outDir: string | undefined): string {
  const base = input.file.replace(/\.(ts|m?js)$/, ".grad.ts");
  if (!outDir) return base;
  const relative = input.root ? path.relative(input.root, base) : path.basename(base);
  return path.join(outDir, relative);
}

/** Writes through a temporary file and a rename, so a reader never sees a partial file. */
export function writeAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * The files the arguments name: a file as it is, a directory as every source below it. Missing
 * files and empty directories are diagnostics; anything else that is no source, a usage error.
 */
export function collectInputs(args: readonly string[], cwd: string): { inputs: Input[]; errors: Diagnostic[] } {
  const inputs: Input[] = [];
  const errors: Diagnostic[] = [];
  for (const arg of args) {
    const full = path.resolve(cwd, arg);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      errors.push(diagNoLocation("TSG2005", [arg, "no such file or directory"], full));
      continue;
    }
    if (stat.isDirectory()) {
      let found: string[];
      try {
        found = findSources(full);
      } catch (error) {
        errors.push(diagNoLocation("TSG2005", [arg, (error as Error).message], full));
        continue;
      }
      if (found.length === 0) errors.push(diagNoLocation("TSG2007", [arg], full));
      for (const file of found) inputs.push({ file, root: full });
    } else if (isSource(path.basename(full)) || isJavaScriptSource(path.basename(full))) {
      inputs.push({ file: full, root: undefined });
    } else {
      throw new UsageError(`'${arg}' is not a source file (.ts, not .d.ts or .grad.ts; or .js typed by JSDoc, not .grad.js).`);
    }
  }
  return { inputs, errors };
}

/** How the CLI names a file: relative to the working directory when it is below it. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
