/**
 * Compiler bugs the fuzzer has found and that are not fixed yet. Each has a reproducer in
 * test/fuzz/reproducers/ (run by reproducers.test.ts, skipped while the bug is open) and a
 * workaround id that steers the generator or the checker clear of it, so that the fixed-seed
 * run stays green and the long run keeps finding other bugs. When a bug is fixed: un-skip its
 * reproducer test and delete its entry here.
 */
export interface KnownBug {
  /** Workaround id, understood by generator.ts (`avoid`) or check.ts (`avoid`). */
  id: string;
  reproducer: string;
  summary: string;
}

export const KNOWN_BUGS: KnownBug[] = [
  {
    id: "push-fresh-in-loop",
    reproducer: "push-fresh-in-loop.ts",
    summary:
      "an array declared empty inside a loop or forEach callback, pushed, then passed as a whole in the same iteration (`Math.hypot(...ys)`, a helper) is rejected with TSG1072, though each iteration makes a new array complete before the call; the generator passes such an array only where no loop around it pushes it",
  },
  {
    id: "push-reads-itself",
    reproducer: "push-reads-itself.ts",
    summary:
      "`ys.push(a, b)` stores and counts each value before evaluating the next, so an argument reading ys (`ys.length`, `ys[ys.length - 1]`) sees the earlier ones pushed (JavaScript evaluates all arguments first); the generator keeps the values of a push of several from reading ys",
  },
  // Fixed: for-init-call, wrt-assigned-param, bool-reassign, if-condition-not-recorded,
  // helper-local-array, bool-narrowed-never, array-element-overwrite, destructure-written,
  // swap-const-fields, inlined-binding-write, do-while-struct-call, deep-spread-copy,
  // length-only-array, swap-element-fields (their reproducers run
  // unskipped in reproducers.test.ts).
];

/**
 * What tsgrad refuses by design (a located diagnostic, not a bug) and the generator must not
 * write: `shallow-spread`, a spread or field copy sharing nested objects with a variable while a
 * nested field is written (TSG1057; test/bad-input/cases/struct-shallow-spread.ts).
 */
export const UNSUPPORTED: string[] = ["shallow-spread"];

/** Every workaround, for runs that should not trip over known bugs. */
export const AVOID_KNOWN: string[] = [...KNOWN_BUGS.map((b) => b.id), ...UNSUPPORTED];
