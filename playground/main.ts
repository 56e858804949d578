/**
 * The tsgrad playground: the compiler running in the page. Edit the model on the left; on each
 * pause in typing the derivatives are generated again on the right (or the diagnostics shown),
 * with the time the compile took. Nothing leaves the browser.
 */
import ts from "typescript";
import { compile, createCompileCache, formatDiagnostic } from "../src/index.js";
import { files } from "./shims/fs.js";
// Written by playground/build.mjs: the TypeScript library files and tsgrad's runtime sources.
import bundled from "./.build/files.json";

const MODEL = "/work/model.ts";

for (const [file, text] of Object.entries(bundled as Record<string, string>)) files.set(file, text);

/** TypeScript's view of the machine: the in-memory tree. */
const system: ts.System = {
  args: [],
  newLine: "\n",
  useCaseSensitiveFileNames: true,
  write: () => {},
  readFile: (p) => files.get(p),
  writeFile: (p, text) => void files.set(p, text),
  resolvePath: (p) => p,
  fileExists: (p) => files.has(p),
  directoryExists: (p) => [...files.keys()].some((f) => f.startsWith(p.endsWith("/") ? p : `${p}/`)),
  createDirectory: () => {},
  getExecutingFilePath: () => "/ts/lib/typescript.js",
  getCurrentDirectory: () => "/work",
  getDirectories: () => [],
  readDirectory: () => [],
  exit: () => {},
};
ts.setSys(system);

const EXAMPLE = `// Edit me: tsgrad writes the derivatives of every exported function.
export interface Particle {
  pos: [number, number];
  vel: [number, number];
}

export function energy(ps: Particle[], k: number): number {
  let e = 0;
  for (const p of ps) {
    const r2 = p.pos[0] ** 2 + p.pos[1] ** 2;
    e += 0.5 * (p.vel[0] ** 2 + p.vel[1] ** 2) + 0.5 * k * r2;
  }
  return e;
}
`;

const cache = createCompileCache();
const source = document.getElementById("source") as HTMLTextAreaElement;
const output = document.getElementById("output") as HTMLPreElement;
const status = document.getElementById("status") as HTMLSpanElement;
const mode = document.getElementById("mode") as HTMLSelectElement;

/** Compile times of this session, for the page's status line (and the browser test). */
const times: number[] = [];
(window as unknown as { __playground: { times: number[]; compiles: number } }).__playground = { times, compiles: 0 };

function run(): void {
  const started = performance.now();
  const result = compile({ fileName: MODEL, sourceText: source.value, mode: mode.value as "both" | "reverse" | "forward", cache });
  const ms = performance.now() - started;
  times.push(ms);
  (window as unknown as { __playground: { compiles: number } }).__playground.compiles++;
  const messages = result.diagnostics.map((d) => formatDiagnostic(d, (f) => f.replace("/work/", "")));
  output.textContent = result.code !== undefined ? `${messages.map((m) => `// ${m.split("\n")[0]}`).join("\n")}${messages.length ? "\n\n" : ""}${result.code}` : messages.join("\n\n");
  output.className = result.code !== undefined ? "ok" : "error";
  status.textContent = `${result.code !== undefined ? `${result.functions.join(", ")}` : "errors"} · compiled in ${ms.toFixed(0)} ms`;
}

let timer: ReturnType<typeof setTimeout> | undefined;
source.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(run, 120);
});
mode.addEventListener("change", run);
source.value = EXAMPLE;
run();
