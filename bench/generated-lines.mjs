#!/usr/bin/env node
// Counts the code lines (not blank, not only comments) of the modules tsgrad generates for the
// golden fixtures and the examples (mode both), next to the code lines of their sources.
//
//   node bench/generated-lines.mjs                      # this checkout's compiler (npm run build first)
//   node bench/generated-lines.mjs --compiler DIR       # the compiler built in another checkout DIR
//   node bench/generated-lines.mjs --json               # one JSON object instead of the table
//
// The sources are always this checkout's, so two compilers are compared on the same inputs:
// build an older commit elsewhere (git worktree add /tmp/base 0bfa5d1, link node_modules,
// npm run build) and pass --compiler /tmp/base.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const at = args.indexOf("--compiler");
const compilerRoot = at >= 0 ? path.resolve(args[at + 1]) : repo;
const json = args.includes("--json");

/** Lines that hold at least one token other than comments and white space. */
export function codeLines(text) {
  const scanner = ts.createScanner(ts.ScriptTarget.ES2022, false, ts.LanguageVariant.Standard, text);
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === "\n") starts.push(i + 1);
  const lineOf = (pos) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const trivia = new Set([
    ts.SyntaxKind.WhitespaceTrivia,
    ts.SyntaxKind.NewLineTrivia,
    ts.SyntaxKind.SingleLineCommentTrivia,
    ts.SyntaxKind.MultiLineCommentTrivia,
    ts.SyntaxKind.ShebangTrivia,
  ]);
  const lines = new Set();
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (trivia.has(kind)) continue;
    const first = lineOf(scanner.getTokenStart());
    const last = lineOf(Math.max(scanner.getTokenStart(), scanner.getTokenEnd() - 1));
    for (let l = first; l <= last; l++) lines.add(l);
  }
  return lines.size;
}

function sources() {
  const out = [];
  const visit = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) visit(full);
      else if (e.name.endsWith(".ts") && !e.name.endsWith(".grad.ts") && !e.name.endsWith(".d.ts")) out.push(full);
    }
  };
  visit(path.join(repo, "fixtures"));
  out.push(path.join(repo, "examples", "quickstart", "rosenbrock.ts"));
  for (const e of fs.readdirSync(path.join(repo, "examples")).sort()) {
    const model = path.join(repo, "examples", e, "model.ts");
    if (fs.existsSync(model)) out.push(model);
  }
  return out;
}

const { compile } = await import(pathToFileURL(path.join(compilerRoot, "dist", "src", "index.js")).href);
const rows = [];
for (const file of sources()) {
  const text = fs.readFileSync(file, "utf8");
  const result = compile({ fileName: file, sourceText: text, mode: "both" });
  if (result.code === undefined) {
    console.error(`${path.relative(repo, file)}: ${result.diagnostics.map((d) => d.message).join("; ")}`);
    process.exitCode = 1;
    continue;
  }
  rows.push({ file: path.relative(repo, file), source: codeLines(text), generated: codeLines(result.code) });
}
const total = { file: "total", source: 0, generated: 0 };
for (const r of rows) {
  total.source += r.source;
  total.generated += r.generated;
}
if (json) {
  console.log(JSON.stringify({ compiler: compilerRoot, rows, total }, null, 2));
} else {
  const width = Math.max(...rows.map((r) => r.file.length), 5);
  console.log(`compiler: ${path.relative(process.cwd(), compilerRoot) || "."}`);
  console.log(`${"file".padEnd(width)}  source  generated  generated/source`);
  for (const r of [...rows, total]) {
    console.log(`${r.file.padEnd(width)}  ${String(r.source).padStart(6)}  ${String(r.generated).padStart(9)}  ${(r.generated / r.source).toFixed(2).padStart(16)}`);
  }
}
