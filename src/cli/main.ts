/**
 * The `tsgrad` command line (SPEC section 1). Exit status: 0 success, 1 diagnostics, 2 usage.
 * Nothing is written unless every input compiled: an existing output is never replaced by a
 * partial one.
 *
 * This module loads only the argument parser: the compiler (and TypeScript, which takes seconds
 * to load) is imported when a compile command runs, so `--version` and `--help` answer at once.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DUMP_STAGES, type DumpStage } from "../api-types.js";
import { VERSION } from "../version.js";
import { type CheckFlags, type CompileFlags, EXIT_DIAGNOSTICS, EXIT_OK, EXIT_USAGE, type Io, UsageError } from "./common.js";

export type { Io } from "./common.js";

function parseDump(value: string): DumpStage[] {
  const stages = value.split(",").map((s) => s.trim());
  for (const s of stages) {
    if (!(DUMP_STAGES as readonly string[]).includes(s)) throw new InvalidArgumentError(`unknown stage '${s}' (choose from ${DUMP_STAGES.join(", ")}).`);
  }
  return stages as DumpStage[];
}

/** `--tape-budget 256MB`: a size in bytes (B, KB, MB, GB: powers of 1024; a bare number is MB). */
export function parseSize(value: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(value);
  if (!match) throw new InvalidArgumentError(`'${value}' is not a size: write a number of megabytes, or one with a unit (64MB, 1.5GB, 512KB).`);
  const unit = (match[2] ?? "mb").toLowerCase();
  const bytes = Math.round(Number(match[1]) * 1024 ** ["b", "kb", "mb", "gb"].indexOf(unit));
  if (bytes < 1) throw new InvalidArgumentError(`the tape budget must be at least one byte.`);
  return bytes;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
};

/** Repeated options that also take comma lists: `--wrt a,b` is `--wrt a --wrt b`. */
const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name.length > 0),
];

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
      "Differentiate the exported numeric functions of each file: foo.ts -> foo.grad.ts with foo_grad (reverse mode) " +
        "and foo_jvp (forward mode). A directory means every *.ts below it (not *.grad.ts, *.d.ts, node_modules); " +
        "a .js file named as an argument is typed by its JSDoc and gets foo.grad.js and foo.grad.d.ts.",
    )
    .argument("<file-or-dir...>", "TypeScript (or JSDoc-typed JavaScript) files, or directories of TypeScript files, to compile")
    .option("-o, --output <file>", "output file (only with a single input file)")
    .option("--out-dir <dir>", "write outputs under <dir>, keeping paths relative to each directory argument")
    .option("-p, --project <tsconfig>", "the project's tsconfig.json (or its directory) for module resolution, paths, types and lib (default: the nearest one that includes each file)")
    .addOption(new Option("--mode <mode>", "which derivatives to emit").choices(["reverse", "forward", "both"]).default("both"))
    .addOption(new Option("--runtime <how>", "import: the module imports tsgrad/runtime; inline: it carries the runtime code it uses (no dependency at run time)").choices(["import", "inline"]).default("import"))
    .addOption(new Option("--emit <language>", "ts: foo.grad.ts; js: foo.grad.js and its declarations foo.grad.d.ts, for plain Node and JavaScript (default: ts, js for a .js source)").choices(["ts", "js"]))
    .option("--fn <names>", "differentiate only these exported functions (comma-separated or repeated)", collect, [])
    .option("--wrt <params>", "differentiate only with respect to these parameters (comma-separated or repeated)", collect, [])
    .option("--hvp", "also emit f_hvp(..., v): value, gradient and Hessian-vector product, for functions that return a number", false)
    .option("--hessian", "also emit f_hessian(...): value, gradient and dense Hessian (implies --hvp)", false)
    .option("--jacobian", "also emit f_jacobian(...) for functions that return a numeric array (dense, one row per result element)", false)
    .option("--tape-budget <size>", "checkpoint automatically: a loop that records more than <size> of tape (64MB, 1GB) runs the rest of its iterations with checkpoints (see '// tsgrad: checkpoint' in the README)", parseSize)
    .option("--check", "write nothing; exit 1 if any output is missing or differs from what would be written", false)
    .option("--watch", "keep running: compile again whenever a source it read changes (writes only outputs that changed; Ctrl-C stops)", false)
    .option("--verbose", "also print notes, the code frame of each skipped export, and why files of a directory were skipped", false)
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
        "  tsgrad compile src --watch                  regenerate on every save",
        "  tsgrad compile src/model.ts --dump ir,tbr   debugging: the lowered IR and what reverse mode records",
        "",
        "Exit status: 0 success, 1 diagnostics (or stale output with --check), 2 usage error.",
      ].join("\n"),
    )
    .action(async (inputs: string[], flags: CompileFlags) => {
      if (flags.watch) {
        if (flags.check || flags.dump) throw new UsageError("--watch writes as it goes: use it without --check and --dump.");
        const { runWatch } = await import("./watch.js");
        runWatch(inputs, flags, io);
        return; // (The watchers keep the process alive.)
      }
      const { runCompile } = await import("./compile-command.js");
      setExit(runCompile(inputs, flags, io));
    });
  program
    .command("check")
    .description(
      "Check the derivatives tsgrad generates for each file, numerically: compiles it in memory (writing nothing), " +
        "runs your functions and their derivatives at random points of the parameters' types, and compares reverse mode " +
        "with central finite differences of your function, and forward mode with reverse mode (<grad, v> == jvp(v)). " +
        "A directory means every *.ts below it that has functions to differentiate.",
    )
    .argument("<file-or-dir...>", "TypeScript files or directories to check")
    .option("--fn <names>", "check only these exported functions (comma-separated or repeated)", collect, [])
    .option("-p, --project <tsconfig>", "the project's tsconfig.json (or its directory), as for compile")
    .option("--points <n>", "random points per function", positiveInteger, 5)
    .option("--seed <n>", "seed of the random points (the same seed gives the same points and table)", integer, 1)
    .addOption(
      new Option("--tolerance <rel>", "relative error allowed against finite differences; forward against reverse allows 1/100 of it")
        .argParser(positiveNumber)
        .default(1e-6, "1e-6"),
    )
    .addHelpText(
      "after",
      [
        "",
        "Numbers the generated doc comment calls inactive (counts, indices) are drawn as small integers and",
        "not perturbed; finite differences across a kink or jump (they change with the step) are skipped, and",
        "so are points where the gradient is not finite. The table's last column counts them. A function with",
        "no point where it is finite is reported as unchecked (exit status 0).",
        "",
        "Examples:",
        "  tsgrad check src/model.ts                   every differentiated function of the file",
        "  tsgrad check src --points 20 --seed 7       more points, other points",
        "  tsgrad check src/model.ts --fn loss --tolerance 1e-5",
        "",
        "Exit status: 0 all derivatives agree, 1 a mismatch (or a file that does not compile), 2 usage error.",
      ].join("\n"),
    )
    .action(async (inputs: string[], flags: CheckFlags) => {
      const { runCheck } = await import("./check-command.js");
      setExit(await runCheck(inputs, flags, io));
    });
  return program;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer.");
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError("expected an integer.");
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number.");
  return n;
}

/** Runs the CLI and resolves to its exit status (never rejects, never prints a stack trace). */
export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
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
    await program.parseAsync(argv);
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
