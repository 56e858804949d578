// Helpers of the compiler benchmarks (compile-time.mjs, compile-speed.mjs): options, medians,
// the model sources, and where a compiler to measure is built.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** This checkout. */
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The value after `name` in `args` (`--runs 9`), or undefined. */
export function option(args, name) {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The golden fixtures, the quick-start model and each example's model.ts, in that order. */
export function modelSources() {
  const out = [];
  for (const e of fs.readdirSync(path.join(repo, "fixtures")).sort()) {
    if (e.endsWith(".ts") && !e.endsWith(".grad.ts") && !e.endsWith(".d.ts")) out.push(path.join(repo, "fixtures", e));
  }
  out.push(path.join(repo, "examples", "quickstart", "rosenbrock.ts"));
  for (const e of fs.readdirSync(path.join(repo, "examples")).sort()) {
    const model = path.join(repo, "examples", e, "model.ts");
    if (fs.existsSync(model)) out.push(model);
  }
  return out;
}

/** A checkout whose compiler is built (`--compiler DIR`, `--against DIR`): its dist/ must exist. */
export function builtCompiler(dir) {
  const root = path.resolve(dir);
  if (!fs.existsSync(path.join(root, "dist", "src", "index.js"))) throw new Error(`${root}: no dist/src/index.js (run npm run build there)`);
  return root;
}
