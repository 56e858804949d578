/**
 * `tsgrad compile`: reads the inputs, compiles them all, and only then writes (or, with --check,
 * compares) the outputs. Loaded by main.ts only when a compile runs, since it brings in the
 * compiler and TypeScript.
 */
import fs from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../api-types.js";
import { compile } from "../compile.js";
import { SKIPPED_EXPORT_CODES, diagNoLocation, formatDiagnostic } from "../diagnostics.js";
import { beginBatch, createCompileCache, generatedImports } from "../frontend/program.js";
import { type CompileFlags, EXIT_DIAGNOSTICS, EXIT_OK, type Io, UsageError } from "./common.js";
import { type Input, collectInputs, displayPath, isJavaScriptSource, outputPath, writeAtomically } from "./files.js";
import { toJavaScript } from "../emit/javascript.js";

/** What `--watch` needs from a run (watch.ts): a cache kept between runs, and the files each run read. */
export interface WatchState {
  cache: ReturnType<typeof createCompileCache>;
  /** Set by each run: every source file the compiles read (inputs and what they import). */
  dependencies: Set<string>;
}

export function runCompile(args: string[], flags: CompileFlags, io: Io, watch?: WatchState): number {
  const display = (file: string): string => displayPath(io.cwd, file);
  const printDiagnostic = (d: Diagnostic): void => io.err(formatDiagnostic(d, display));

  // Inputs.
  const { inputs, errors } = collectInputs(args, io.cwd);
  if (flags.output && (args.length !== 1 || inputs.length > 1 || inputs.some((i) => i.root !== undefined))) {
    throw new UsageError("-o/--output needs exactly one input file; use --out-dir for several.");
  }
  if (flags.output && flags.outDir) throw new UsageError("use either -o/--output or --out-dir, not both.");

  // Compile everything before writing anything: a file whose generated module another input
  // imports (nested derivatives, `./inner.grad.js`) first, its new module then read in place of
  // the one on disk.
  const cache = watch?.cache ?? createCompileCache();
  // (Files are not expected to come or go during the run; they may between runs of --watch.)
  beginBatch(cache);
  watch?.dependencies.clear();
  const outputs: { input: Input; files: { file: string; text: string }[]; functions: string[] }[] = [];
  const generated = new Map<string, string>();
  for (const input of importedFirst(inputs)) {
    let sourceText: string;
    try {
      sourceText = fs.readFileSync(input.file, "utf8");
    } catch (error) {
      errors.push(diagNoLocation("TSG2005", [display(input.file), (error as NodeJS.ErrnoException).code ?? (error as Error).message], input.file));
      continue;
    }
    const file = flags.output ? path.resolve(io.cwd, flags.output) : outputPath(input, flags.outDir && path.resolve(io.cwd, flags.outDir));
    const result = compile({
      fileName: input.file,
      outFile: file,
      sourceText,
      mode: flags.mode,
      ...(flags.jacobian ? { jacobian: true } : {}),
      ...(flags.hvp ? { hvp: true } : {}),
      ...(flags.hessian ? { hessian: true } : {}),
      ...(flags.tapeBudget !== undefined ? { tapeBudget: flags.tapeBudget } : {}),
      ...(flags.project !== undefined ? { project: path.resolve(io.cwd, flags.project) } : {}),
      ...(flags.runtime === "inline" ? { runtime: "inline" as const } : {}),
      functions: flags.fn.length > 0 ? flags.fn : undefined,
      wrt: flags.wrt.length > 0 ? flags.wrt : undefined,
      cache,
      generated,
      ...(flags.dump ? { dump: flags.dump } : {}),
    });
    if (result.dump !== undefined) io.out(`// ${display(input.file)}\n${result.dump}`);
    for (const d of result.dependencies) watch?.dependencies.add(path.resolve(d));
    const fromDirectory = input.root !== undefined;
    const skippedExports = result.diagnostics.filter((d) => d.severity === "warning" && SKIPPED_EXPORT_CODES.has(d.code));
    // In a directory, a file without differentiable functions is simply not a model file: one
    // line says so when it exports functions, --verbose gives each one's reason.
    const notAModel = fromDirectory && result.diagnostics.some((d) => d.code === "TSG2001");
    if (notAModel && !flags.verbose && skippedExports.length > 0) {
      const count = `${skippedExports.length} export${skippedExports.length === 1 ? "" : "s"}`;
      io.err(`${display(input.file)} - note: nothing to differentiate; ${count} skipped (--verbose says why).`);
    }
    for (const d of result.diagnostics) {
      if (notAModel && d.code === "TSG2001") {
        if (flags.verbose) io.err(`${display(input.file)} - note: no differentiable exported functions; skipped.`);
        continue;
      }
      if (notAModel && !flags.verbose && skippedExports.includes(d)) continue;
      if (d.severity === "note" && !flags.verbose) continue;
      if (d.severity === "error") errors.push(d);
      // A skipped export is one line; --verbose adds the code frame.
      else if (skippedExports.includes(d) && !flags.verbose) printDiagnostic({ ...d, lineText: "" });
      else printDiagnostic(d);
    }
    if (result.code !== undefined) {
      let files = [{ file, text: result.code }];
      if ((flags.emit ?? (isJavaScriptSource(input.file) ? "js" : "ts")) === "js") {
        // model.grad.js and its declarations, model.grad.d.ts (-o names either; its extension goes).
        const base = file.replace(/\.(ts|js)$/, "");
        const { js, dts } = toJavaScript(result.code, file);
        files = [
          { file: `${base}.js`, text: js },
          { file: `${base}.d.ts`, text: dts },
        ];
      }
      outputs.push({ input, files, functions: result.functions });
      generated.set(file, result.code);
    }
  }
  for (const d of errors) printDiagnostic(d);
  if (flags.dump && errors.length === 0) return EXIT_OK;
  if (errors.length > 0) {
    io.err(`tsgrad: ${errors.length} error${errors.length === 1 ? "" : "s"}; nothing was written.`);
    return EXIT_DIAGNOSTICS;
  }

  if (flags.check) {
    let stale = 0;
    const all = outputs.flatMap((o) => o.files);
    for (const { file, text } of all) {
      const current = readOrUndefined(file);
      if (current === text) continue;
      stale++;
      printDiagnostic(diagNoLocation(current === undefined ? "TSG2009" : "TSG2008", [display(file)], file));
    }
    if (stale > 0) return EXIT_DIAGNOSTICS;
    io.out(`tsgrad: ${all.length} generated file${all.length === 1 ? " is" : "s are"} up to date.`);
    return EXIT_OK;
  }

  for (const o of outputs) {
    // (Watching, an output that did not change is not written again: a bundler watching it would rebuild.)
    const files = watch ? o.files.filter((f) => readOrUndefined(f.file) !== f.text) : o.files;
    if (files.length === 0) continue;
    for (const { file, text } of files) {
      try {
        writeAtomically(file, text);
      } catch (error) {
        printDiagnostic(diagNoLocation("TSG2006", [display(file), (error as NodeJS.ErrnoException).code ?? (error as Error).message], file));
        return EXIT_DIAGNOSTICS;
      }
    }
    io.out(`wrote ${files.map((f) => display(f.file)).join(", ")} (${o.functions.join(", ")})`);
  }
  return EXIT_OK;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The inputs, each source of a generated module another input imports (`./inner.grad.js` of
 * `inner.ts`) before the inputs importing it, otherwise in their order.
 */
function importedFirst(inputs: readonly Input[]): Input[] {
  const byFile = new Map(inputs.map((i) => [path.resolve(i.file), i]));
  const imports = (input: Input): Input[] => {
    let text: string;
    try {
      text = fs.readFileSync(input.file, "utf8");
    } catch {
      return [];
    }
    return generatedImports(path.resolve(input.file), text).flatMap((g) => byFile.get(g.source) ?? []);
  };
  const out: Input[] = [];
  const visiting = new Set<Input>();
  const visit = (input: Input): void => {
    if (out.includes(input) || visiting.has(input)) return;
    visiting.add(input);
    for (const before of imports(input)) visit(before);
    out.push(input);
  };
  for (const input of inputs) visit(input);
  return out;
}
