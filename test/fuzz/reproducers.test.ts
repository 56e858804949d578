/**
 * Reduced programs from fuzz failures (test/fuzz/reproducers/*.ts). Each must compile and pass
 * every check of check.ts at the points in its header. The ones whose bug is still open are
 * skipped, each with a comment naming the bug: fix the compiler, then change `it.skip` to `it`
 * (and drop the bug from known-bugs.ts, which steers the fuzzer clear of it).
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Arg } from "../helpers/gradcheck.js";
import type { EntryInfo, ParamKind } from "./ast.js";
import { checkProgram } from "./check.js";
import { KNOWN_BUGS } from "./known-bugs.js";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "reproducers");

interface Header {
  entries: Record<string, Record<string, ParamKind>>;
  points: Record<string, Arg[][]>;
  wrt?: Record<string, string[]>;
}

export function readReproducer(file: string): { source: string; header: Header; entries: EntryInfo[] } {
  const source = fs.readFileSync(path.join(dir, file), "utf8");
  const match = /\/\* fuzz-reproducer\s*([\s\S]*?)\*\//.exec(source);
  if (!match) throw new Error(`${file}: no /* fuzz-reproducer {...} */ header`);
  const header = JSON.parse(match[1]!) as Header;
  const entries = Object.entries(header.entries).map(([name, params]) => ({
    name,
    params: Object.entries(params).map(([p, kind]) => ({ name: p, kind })),
    assigned: [],
    // A function declared to return an array, object or tuple is checked through its f_vjp.
    vector: new RegExp(`function ${name}\\([^)]*\\):\\s*(?!number\\s*\\{)\\S`).test(source),
  }));
  return { source, header, entries };
}

function expectClean(file: string): void {
  const { source, header, entries } = readReproducer(file);
  const result = checkProgram(source, entries, { points: 0, extraPoints: header.points, wrtSubsets: header.wrt, determinism: true });
  const report = result.failures.map((f) => `${f.kind}${f.fn ? ` in ${f.fn}` : ""}${f.point ? ` at ${JSON.stringify(f.point)}` : ""}: ${f.message}`);
  expect(report, file).toEqual([]);
  expect(result.stats.checkedPoints, `${file}: no point was checked`).toBeGreaterThan(0);
}

describe("fuzz reproducers", () => {
  it("every reproducer has a header, and every known bug a reproducer", () => {
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
    for (const f of files) expect(() => readReproducer(f), f).not.toThrow();
    for (const bug of KNOWN_BUGS) expect(files, bug.id).toContain(bug.reproducer);
  });

  // Fixed bug callback-returned-array-alias: `const g = f(v)` of a callback returning an array it
  // makes was a second name for that array in the IR (a silently wrong gradient).
  it("callback-returned-array-alias.ts", () => expectClean("callback-returned-array-alias.ts"));

  // Fixed bug for-init-call: a call in a for-loop initializer is lifted into the loop head
  // (`for (const g_result = g_forward(x), let t = g_result; ...)`): generated code does not parse.
  it("for-init-call.ts", () => expectClean("for-init-call.ts"));

  // Fixed bug wrt-assigned-param: with wrt leaving out an assigned parameter, f_grad uses its
  // undeclared adjoint (ReferenceError: dy is not defined).
  it("wrt-assigned-param.ts", () => expectClean("wrt-assigned-param.ts"));

  // Fixed bug bool-condition-reassigned: `if (b) { b = false; }` is replayed with the new `b` in the
  // reverse sweep: wrong gradient, unbalanced tape.
  it("bool-condition-reassigned.ts", () => expectClean("bool-condition-reassigned.ts"));

  // Fixed bug if-condition-not-recorded: the outcome of an `if` that only overwrites a value is not
  // recorded in loops and helper routines: wrong gradients, unbalanced tape.
  it("if-condition-not-recorded.ts", () => expectClean("if-condition-not-recorded.ts"));

  // Fixed bug helper-local-array: the reverse routine of a called function with a local array reads
  // the array, which only its forward routine has (ReferenceError: a is not defined).
  it("helper-local-array.ts", () => expectClean("helper-local-array.ts"));

  // Fixed bug bool-narrowed-never: a boolean comparison whose left side TypeScript narrows to
  // `never` (dead code) is lowered as numeric and rejected with TSG1028.
  it("bool-narrowed-never.ts", () => expectClean("bool-narrowed-never.ts"));

  // Fixed bug (seed 401 program 2381): a local of a dead branch whose type TypeScript narrows to
  // `never` was rejected with TSG1015.
  it("local-narrowed-never.ts", () => expectClean("local-narrowed-never.ts"));

  // Fixed bug (seed 301 program 73): a for-loop initializer whose call was inlined with a
  // temporary printed `for (const p1 = ..., let i5 = ...; ...)` in a primal copy: does not parse.
  it("for-init-inlined-call.ts", () => expectClean("for-init-inlined-call.ts"));

  // Regression (long run, already fixed when reduced): f_jvp gave NaN for a helper computing cbrt
  // of an exact constant 0 (0 * Infinity) where f_grad gave 0.
  it("jvp-constant-singular.ts", () => expectClean("jvp-constant-singular.ts"));

  // Fixed bug array-element-overwrite: after a loop over an array made by new Float64Array(n) or
  // new Array<number>(n).fill(0), a store to an element the loop wrote does not save the old
  // value, so the reverse sweep of the loop reads the new one: wrong gradients.
  it("array-element-overwrite.ts", () => expectClean("array-element-overwrite.ts"));

  // Fixed bug destructure-written: numbers destructured out of a local structure
  // whose fields are written are rejected (TSG1051, then a bogus TSG1018 at every read).
  it("destructure-written.ts", () => expectClean("destructure-written.ts"));

  // Fixed bug swap-const-fields: a destructuring assignment to fields of a const
  // structure, or to parameters of an inlined helper, assigns const variables in the generated
  // code (TypeError).
  it("swap-const-fields.ts", () => expectClean("swap-const-fields.ts"));

  // Fixed bug struct-bool-field-never: a boolean field narrowed to `never` in dead code was taken
  // for a number (TSG1028).
  it("struct-bool-field-never.ts", () => expectClean("struct-bool-field-never.ts"));

  // Fixed bug inlined-label-collision: an inlined helper's labeled loop inside a loop of the same
  // label gave nested labels of one name (a syntax error in the generated module).
  it("inlined-label-collision.ts", () => expectClean("inlined-label-collision.ts"));

  // Fixed bug inline-nested-same-helper: `h(y, h(x, ...))` of a helper returning a structure read
  // the inner call's arguments in the outer body (wrong value).
  it("inline-nested-same-helper.ts", () => expectClean("inline-nested-same-helper.ts"));

  // Fixed bug tidy-unreachable-after-continue: the tidy pass rewrote unreachable code after a
  // `continue` into the statement before it (f_jvp 0).
  it("tidy-unreachable-after-continue.ts", () => expectClean("tidy-unreachable-after-continue.ts"));

  // Fixed bug tidy-merge-past-continue: the tidy pass merged an accumulation into an assignment
  // across `if (c) continue;` (the tangent ignored the continue).
  it("tidy-merge-past-continue.ts", () => expectClean("tidy-merge-past-continue.ts"));

  // (shallow-spread, a spread sharing nested objects that are then written, is refused with
  // TSG1057 now: test/bad-input/cases/struct-shallow-spread.ts.)

  // Fixed bug inlined-binding-write: an inlined helper reassigning a number bound by
  // its destructured parameter (a local copy) is accepted.
  it("inlined-binding-write.ts", () => expectClean("inlined-binding-write.ts"));

  // Fixed bug permutation-fixed-point: an array a permutation leaves in place keeps its elements.
  it("permutation-fixed-point.ts", () => expectClean("permutation-fixed-point.ts"));

  // Fixed bug helper-array-call-arg: calls among the arguments of a helper returning an array are lifted.
  it("helper-array-call-arg.ts", () => expectClean("helper-array-call-arg.ts"));

  // Fixed bug push-reads-itself: a push of several values evaluates them all before the first
  // store.
  it("push-reads-itself.ts", () => expectClean("push-reads-itself.ts"));

  // Fixed bug push-fresh-in-loop: an array declared inside a loop may be passed on after its
  // pushes in the same iteration.
  it("push-fresh-in-loop.ts", () => expectClean("push-fresh-in-loop.ts"));

  // Fixed bug do-while-struct-call: a call inside a structure argument in a do-while
  // condition is rejected with TSG1002.
  it("do-while-struct-call.ts", () => expectClean("do-while-struct-call.ts"));

  // Fixed bug do-while-helper-call: a local helper called in a do...while condition was TSG1002.
  it("do-while-helper-call.ts", () => expectClean("do-while-helper-call.ts"));

  // Fixed bug (seed 53 program 2462): the tidy pass moved an element's stored adjoint past the
  // reset of the variable it read (mergeElementWrites): a lost adjoint, wrong gradient.
  it("element-store-moved-past-reset.ts", () => expectClean("element-store-moved-past-reset.ts"));

  // Fixed bug (seed 10 program 21 of an --hvp --methods run): a silent loop's index was passed
  // from a helper's forward routine to its reverse routine after the loop that declares it.
  it("silent-loop-index-passed.ts", () => expectClean("silent-loop-index-passed.ts"));

  // Fixed bug length-only-array: a helper's local array whose length alone the reverse routine
  // reads was not passed to it (tape imbalance).
  it("length-only-array.ts", () => expectClean("length-only-array.ts"));

  // Fixed bug swap-element-fields: a destructuring assignment to number fields of elements of an
  // array of objects or tuples was rejected with TSG1055 (found with --rows).
  it("swap-element-fields.ts", () => expectClean("swap-element-fields.ts"));

  // Fixed bug deep-spread-copy: a deep copy by spreads, `{ ...p, pos: { ...p.pos }, vel: { ...p.vel } }`,
  // was rejected with TSG1057 once a nested field of the copy was written (found with --rows).
  it("deep-spread-copy.ts", () => expectClean("deep-spread-copy.ts"));

  // Fixed bug (fuzz --checkpoint): a checkpointed loop growing an array or matrix by push: its
  // length was not saved with its elements (tape imbalance), and the returned array was shortened
  // by the reverse sweep's runs again.
  it("checkpoint-growing-array.ts", () => expectClean("checkpoint-growing-array.ts"));
});
