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
  // Fixed: for-init-call, wrt-assigned-param, bool-reassign, if-condition-not-recorded,
  // helper-local-array, bool-narrowed-never, array-element-overwrite, destructure-written,
  // swap-const-fields, inlined-binding-write, do-while-struct-call, deep-spread-copy,
  // length-only-array, swap-element-fields, push-fresh-in-loop, push-reads-itself,
  // permutation-fixed-point, helper-array-call-arg (their reproducers run
  // unskipped in reproducers.test.ts).
];

/**
 * What tsgrad refuses by design (a located diagnostic, not a bug) and the generator must not
 * write: `shallow-spread`, a spread or field copy sharing nested objects with a variable while a
 * nested field is written (TSG1057; test/bad-input/cases/struct-shallow-spread.ts).
 */
export const UNSUPPORTED: string[] = ["shallow-spread"];

/**
 * Forms the idioms mode (idioms.ts) found rejected although the README's wording covers them,
 * steered clear of like known bugs while they are open. Fixed (session 7): `cond-struct-string`
 * (`ok ? { side: "a", ... } : { side: "b", ... }`), `cond-element-copy` (`ps.map((p) => (p.fixed
 * ? p : { ...p, x }))`), `slice-argument` (`f(ys.slice())`), `untyped-array-length` (`t.length` of
 * `new Array(n)`); fixtures inactive-results.ts and local-arrays.ts cover them.
 */
export const IDIOM_GAPS: string[] = [];

/** Every workaround, for runs that should not trip over known bugs. */
export const AVOID_KNOWN: string[] = [...KNOWN_BUGS.map((b) => b.id), ...UNSUPPORTED, ...IDIOM_GAPS];
