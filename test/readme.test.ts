/**
 * The examples of README.md's section "The language tsgrad accepts" (up to "### Runtime
 * kernels"), compiled in process, one compile per block.
 *
 * Every ```ts block of the section is a complete module and is checked; other blocks are not.
 * - ```ts                    accepted: no error or warning diagnostics, and every exported
 *                            function (and public method `C_m` of an exported class) is
 *                            differentiated, with its `_grad` (or `_vjp`) entry point generated.
 * - ```ts rejected TSG1034   rejected: the codes of the errors and warnings are exactly those
 *                            listed (several may be, separated by spaces), leaving aside those
 *                            that only follow from them (TSG2013 skipped, TSG2001 nothing left).
 * Each block compiles as if it were a file test/readme-<n>.ts, so `tsgrad/runtime` resolves as
 * it does for the fixtures.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { compile, createCompileCache } from "../src/index.js";
import { repoRoot } from "./helpers/fixtures.js";

const SECTION_START = "## The language tsgrad accepts";
const SECTION_END = "### Runtime kernels";

interface Block {
  /** 1-based line of the opening fence in README.md. */
  line: number;
  code: string;
  /** Codes the block must produce; empty for an accepted block. */
  rejected: string[];
}

function readmeBlocks(): Block[] {
  const lines = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8").split("\n");
  const start = lines.findIndex((l) => l.startsWith(SECTION_START));
  const end = lines.findIndex((l, i) => i > start && l.startsWith(SECTION_END));
  if (start < 0 || end < 0) throw new Error(`README.md has no section '${SECTION_START}' ending at '${SECTION_END}'`);
  const blocks: Block[] = [];
  for (let i = start; i < end; i++) {
    // Also fences indented inside a list item (their lines lose that indentation).
    const fence = /^( *)```ts(?:\s+(.*))?$/.exec(lines[i]!);
    if (!fence) continue;
    const indent = fence[1]!.length;
    const info = (fence[2] ?? "").trim();
    let rejected: string[] = [];
    if (info !== "") {
      const m = /^rejected((?:\s+TSG\d{4})+)$/.exec(info);
      if (!m) throw new Error(`README.md:${i + 1}: unknown info string '${info}'`);
      rejected = m[1]!.trim().split(/\s+/);
    }
    const close = lines.findIndex((l, j) => j > i && l.slice(indent).startsWith("```"));
    if (close < 0 || close > end) throw new Error(`README.md:${i + 1}: unclosed code block`);
    blocks.push({ line: i + 1, code: lines.slice(i + 1, close).map((l) => l.slice(indent)).join("\n") + "\n", rejected });
    i = close;
  }
  return blocks;
}

/** Public names of the exported functions and of the public methods of exported classes. */
function exportedFunctions(code: string): string[] {
  const sf = ts.createSourceFile("block.ts", code, ts.ScriptTarget.ES2022, true);
  const exported = (n: ts.Node): boolean => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const names: string[] = [];
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && exported(s) && s.name && s.body) names.push(s.name.text);
    else if (ts.isVariableStatement(s) && exported(s)) {
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) names.push(d.name.text);
      }
    } else if (ts.isClassDeclaration(s) && exported(s) && s.name) {
      for (const m of s.members) {
        const hidden = (ts.getModifiers(m) ?? []).some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword || x.kind === ts.SyntaxKind.AbstractKeyword);
        if ((ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m)) && m.body && !hidden && ts.isIdentifier(m.name)) names.push(`${s.name.text}_${m.name.text}`);
      }
    }
  }
  return names;
}

/** Codes that follow from another problem: a function skipped (TSG2013), nothing left (TSG2001). */
const CONSEQUENCES = new Set(["TSG2013", "TSG2001"]);

const blocks = readmeBlocks();
const cache = createCompileCache();

describe("README: the language tsgrad accepts", () => {
  it("has examples, accepted and rejected", () => {
    expect(blocks.filter((b) => b.rejected.length === 0).length).toBeGreaterThan(10);
    expect(blocks.filter((b) => b.rejected.length > 0).length).toBeGreaterThan(3);
  });

  blocks.forEach((block, n) => {
    const title = block.rejected.length === 0 ? `README.md:${block.line} compiles` : `README.md:${block.line} is rejected with ${block.rejected.join(", ")}`;
    it(title, () => {
      const fileName = path.join(repoRoot, "test", `readme-${n + 1}.ts`);
      const result = compile({ fileName, sourceText: block.code, cache });
      const shown = result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column} ${d.message}`);
      if (block.rejected.length === 0) {
        expect(shown.filter((d) => !d.startsWith("note"))).toEqual([]);
        // (A declared derivative, `f_vjp` beside `f`, is not differentiated itself.)
        const all = exportedFunctions(block.code);
        const names = all.filter((n) => !/_(vjp|jvp)$/.test(n) || !all.includes(n.replace(/_(vjp|jvp)$/, "")));
        expect(names.length, "the block exports no function").toBeGreaterThan(0);
        expect([...result.functions].sort()).toEqual(expect.arrayContaining(names));
        for (const name of names) expect(result.code, `${name}_grad is not generated`).toMatch(new RegExp(`export function ${name}_(grad|vjp)\\b`));
      } else {
        const codes = new Set(result.diagnostics.filter((d) => d.severity !== "note" && !CONSEQUENCES.has(d.code)).map((d) => d.code));
        expect([...codes].sort(), shown.join("\n")).toEqual([...new Set(block.rejected)].sort());
      }
    });
  });
});
