/**
 * `tsgrad compile --watch`, for projects that check their generated modules in: compiles as
 * `tsgrad compile` does, then again whenever a source it read changes or a TypeScript file
 * appears in an input directory, reusing the parsed files between runs. A run with errors
 * writes nothing, as always, and the watch goes on. Generated files are not watched (their
 * writes would start the next run).
 */
import fs from "node:fs";
import path from "node:path";
import { createCompileCache } from "../frontend/program.js";
import { type CompileFlags, type Io } from "./common.js";
import { type WatchState, runCompile } from "./compile-command.js";

/** Quiet time after the last change before compiling again (editors write in several steps). */
const SETTLE_MS = 60;

const isSource = (file: string): boolean => file.endsWith(".ts") && !file.endsWith(".grad.ts") && !file.endsWith(".d.ts");

/** Runs until the process is stopped; `stop` (tests) closes the watchers. */
export function runWatch(args: string[], flags: CompileFlags, io: Io): { stop: () => void } {
  const state: WatchState = { cache: createCompileCache(), dependencies: new Set() };
  // Directories the inputs name: a new source there is compiled too.
  const inputDirs = new Set(args.map((a) => path.resolve(io.cwd, a)).filter((a) => fs.existsSync(a) && fs.statSync(a).isDirectory()));
  const watchers = new Map<string, fs.FSWatcher>();
  let timer: NodeJS.Timeout | undefined;

  const schedule = (): void => {
    clearTimeout(timer);
    timer = setTimeout(run, SETTLE_MS);
  };
  const relevant = (dir: string, name: string): boolean => {
    const file = path.join(dir, name);
    if (state.dependencies.has(file)) return true;
    return isSource(file) && [...inputDirs].some((d) => file === d || file.startsWith(d + path.sep));
  };
  /** One watcher per directory holding a dependency or below an input directory (names filtered above). */
  const watchDirectories = (): void => {
    const dirs = new Set([...state.dependencies].map((f) => path.dirname(f)));
    for (const d of inputDirs) for (const sub of directoriesBelow(d)) dirs.add(sub);
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        watchers.set(dir, fs.watch(dir, (_event, name) => name && relevant(dir, name.toString()) && schedule()));
      } catch {
        // (A directory that went away: its files are no longer read.)
      }
    }
  };
  function run(): void {
    const status = runCompile(args, flags, io, state);
    watchDirectories();
    io.out(`tsgrad: ${status === 0 ? "" : "errors above, nothing written; "}watching ${state.dependencies.size} file${state.dependencies.size === 1 ? "" : "s"} for changes (Ctrl-C to stop).`);
  }
  run();
  return {
    stop: () => {
      clearTimeout(timer);
      for (const w of watchers.values()) w.close();
    },
  };
}

/** `dir` and every directory below it, leaving out node_modules and hidden ones. */
function directoriesBelow(dir: string): string[] {
  const out = [dir];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) out.push(...directoriesBelow(path.join(dir, e.name)));
  }
  return out;
}
