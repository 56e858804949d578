/**
 * Regression tests of the fuzz generator: program seeds for which it once wrote programs that do
 * not type-check, or that tsgrad rejects on purpose. Each seed failed before its fix; a later change
 * of the generator may change these programs (then the seeds test less, but must still pass).
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";
import { printProgram } from "./ast.js";
import { type GenOptions, generateProgram } from "./generator.js";
import { AVOID_KNOWN } from "./known-bugs.js";
import { typecheckModules } from "./typecheck.js";

function source(seed: number, options: GenOptions): string {
  return printProgram(generateProgram(seed, { avoid: AVOID_KNOWN, ...options }));
}

describe("the fuzz generator", { timeout: 60_000 }, () => {
  it.each([
    // A reduce over matrix rows starting from a variable a switch narrowed to `0 | 2` (TS2345, TS2769).
    [279603776],
    // A callback's element name left unread, folded into the result where it named a Vec2 parameter (TS2345).
    [3062409236],
    // A read at the top of a for...of body (element writes) of the `t6` a later `const t6` shadows (TS2448).
    [1656884475],
    // `let s0 = { ..., fixed: c && false }` (type false), then `s0.fixed = ...` (TS2322).
    [3492644196],
    // `ps.forEach((e2, i3) => { let i3 = 0; ... })`: a loop variable reusing the callback's parameter name (TS2300).
    [3364786323],
  ])("--methods program %i type-checks", (seed) => {
    expect(typecheckModules([source(seed, { methods: true })])).toEqual([]);
  });

  it.each([
    [2589320646, { methods: true }],
    [3353644583, { rows: true }],
    [1213463938, { rows: true }],
    [4218504586, { rows: true }],
  ] as [number, GenOptions][])("program %i replaces no element whole while a name for one is in scope (TSG1055)", (seed, options) => {
    const result = compile({ fileName: "/fuzz/program.ts", sourceText: source(seed, options) });
    expect(result.diagnostics.filter((d) => d.code === "TSG1055").map((d) => `${d.line}: ${d.message}`)).toEqual([]);
  });
});
