/**
 * The `tsgrad` command line (SPEC section 1). Exit status: 0 success, 1 diagnostics, 2 usage.
 * Nothing is written unless every input compiled: an existing output is never replaced by a
 * partial one.
 */
import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DUMP_STAGES, type DumpStage, type Diagnostic, type Mode } from "../api-types.js";
import { compile } from "../compile.js";
import { diagNoLocation, formatDiagnostic } from "../diagnostics.js";
import { createCompileCache } from "../frontend/program.js";
import { VERSION } from "../version.js";
import { type Input, findSources, isSource, outputPath, writeAtomically } from "./files.js";

interface CompileFlags {
  output?: string;
  outDir?: string;
  mode: Mode;
  fn: string[];
  wrt: string[];
  check: boolean;
  verbose: boolean;
  dump?: DumpStage[];
}

const EXIT_OK = 0;
const EXIT_DIAGNOSTICS = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function parseDump(value: string): DumpStage[] {
  const stages = value.split(",").map((s) => s.trim());
  for (const s of stages) {
    if (!(DUMP_STAGES as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown stage '${s}' (choose from ${DUMP_STAGES.join(", ")}).`);
  }
  return stages as DumpStage[];
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("tsgrad");
  program
    .description("Source-to-source automatic differentiation for TypeScript: writes readable, typed derivative code.")
    .version(VERSION, "-V, --version", "print the tsgrad version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run tsgrad --help for usage)")
    .configureOutput({ writeOut: (s) => io.out(s.replace(/\n$/, "")), writeErr: (s) => io.err(s.replace(/\n$/, "")) })
    .exitOverride();
  program
    .command("compile")
    .description(
      "Differentiate the exported numeric functions of each file: foo.ts -> foo.grad.ts with foo_grad (reverse mode)\n" +
        "and foo_jvp (forward mode). A directory means every *.ts below it (not *.grad.ts, *.d.ts, node_modules).",
    )
    .argument("<file-or-dir...>", "TypeScript files or directories to compile")
    .option("-o, --output <file>", "output file (only with a single input file)")
    .option("--out-dir <dir>", "write outputs under <dir>, keeping paths relative to each directory argument")
    .addOption(new Option("--mode <mode>", "which derivatives to emit").choices(["reverse", "forward", "both"]).default("both"))
    .option("--fn <name>", "differentiate only this exported function (repeatable)", collect, [])
    .option("--wrt <param>", "differentiate only with respect to this parameter (repeatable)", collect, [])
    .option("--check", "write nothing; exit 1 if any output is missing or differs from what would be written", false)
    .option("--verbose", "also print notes (skipped functions, files without functions)", false)
    .option("--dump <stages>", "write nothing; print what the compiler's stages see, comma-separated: ir, activity, tbr", parseDump)
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  tsgrad compile src/model.ts                 writes src/model.grad.ts",
        "  tsgrad compile src/model.ts -o gen/model.grad.ts",
        "  tsgrad compile src --out-dir generated      every .ts under src",
        "  tsgrad compile src/model.ts --fn loss --wrt weights",
        "  tsgrad compile src --check                  CI: fail if a checked-in .grad.ts is stale",
        "  tsgrad compile src/model.ts --dump ir,tbr   debugging: the lowered IR and what reverse mode records",
        "",
        "Exit status: 0 success, 1 diagnostics (or stale output with --check), 2 usage error.",
      ].join("\n"),
    )
    .action((inputs: string[], flags: CompileFlags) => {
      setExit(runCompile(inputs, flags, io));
    });
  return program;
}

function runCompile(args: string[], flags: CompileFlags, io: Io): number {
  const display = (file: string): string => {
    const relative = path.relative(io.cwd, file);
    return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
  };
  const printDiagnostic = (d: Diagnostic): void => io.err(formatDiagnostic(d, display));

  // Inputs.
  const inputs: Input[] = [];
  const errors: Diagnostic[] = [];
  for (const arg of args) {
    const full = path.resolve(io.cwd, arg);
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
    } else if (isSource(path.basename(full))) {
      inputs.push({ file: full, root: undefined });
    } else {
      throw new UsageError(`'${arg}' is not a TypeScript source file (.ts, not .d.ts or .grad.ts).`);
    }
  }
  if (flags.output && (args.length !== 1 || inputs.length > 1 || inputs.some((i) => i.root !== undefined))) {
    throw new UsageError("-o/--output needs exactly one input file; use --out-dir for several.");
  }
  if (flags.output && flags.outDir) throw new UsageError("use either -o/--output or --out-dir, not both.");

  // Compile everything before writing anything.
  const cache = createCompileCache();
  const outputs: { input: Input; file: string; code: string; functions: string[] }[] = [];
  for (const input of inputs) {
    let sourceText: string;
    try {
      sourceText = fs.readFileSync(input.file, "utf8");
    } catch (error) {
      errors.push(diagNoLocation("TSG2005", [display(input.file), (error as NodeJS.ErrnoException).code ?? (error as Error).message], input.file));
      continue;
    }
    const result = compile({
      fileName: input.file,
      sourceText,
      mode: flags.mode,
      functions: flags.fn.length > 0 ? flags.fn : undefined,
      wrt: flags.wrt.length > 0 ? flags.wrt : undefined,
      cache,
      ...(flags.dump ? { dump: flags.dump } : {}),
    });
    if (result.dump !== undefined) io.out(`// ${display(input.file)}\n${result.dump}`);
    const fromDirectory = input.root !== undefined;
    for (const d of result.diagnostics) {
      // In a directory, a file without differentiable functions is simply not a model file.
      if (fromDirectory && d.code === "TSG2001") {
        if (flags.verbose) io.err(`${display(input.file)} - note: no differentiable exported functions; skipped.`);
        continue;
      }
      if (d.severity === "note" && !flags.verbose) continue;
      if (d.severity === "error") errors.push(d);
      else printDiagnostic(d);
    }
    if (result.code !== undefined) {
      const file = flags.output ? path.resolve(io.cwd, flags.output) : outputPath(input, flags.outDir && path.resolve(io.cwd, flags.outDir));
      outputs.push({ input, file, code: result.code, functions: result.functions });
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
    for (const o of outputs) {
      let current: string | undefined;
      try {
        current = fs.readFileSync(o.file, "utf8");
      } catch {
        current = undefined;
      }
      if (current === o.code) continue;
      stale++;
      printDiagnostic(diagNoLocation(current === undefined ? "TSG2009" : "TSG2008", [display(o.file)], o.file));
    }
    if (stale > 0) return EXIT_DIAGNOSTICS;
    io.out(`tsgrad: ${outputs.length} generated file${outputs.length === 1 ? " is" : "s are"} up to date.`);
    return EXIT_OK;
  }

  for (const o of outputs) {
    try {
      writeAtomically(o.file, o.code);
    } catch (error) {
      printDiagnostic(diagNoLocation("TSG2006", [display(o.file), (error as NodeJS.ErrnoException).code ?? (error as Error).message], o.file));
      return EXIT_DIAGNOSTICS;
    }
    io.out(`wrote ${display(o.file)} (${o.functions.join(", ")})`);
  }
  return EXIT_OK;
}

/** Runs the CLI and returns its exit status (never throws, never prints a stack trace). */
export function main(argv: string[], io: Io = defaultIo): number {
  let exitCode = EXIT_OK;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  if (argv.length <= 2) {
    // No command at all: show what there is, as a usage error.
    program.outputHelp({ error: true });
    return EXIT_USAGE;
  }
  try {
    program.parse(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT_OK;
      return EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      return EXIT_USAGE;
    }
    io.err(`tsgrad: internal error: ${(error as Error).message}. Please report this with the input file.`);
    return EXIT_DIAGNOSTICS;
  }
  return exitCode;
}
