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
    id: "do-while-struct-call",
    reproducer: "do-while-struct-call.ts",
    summary: "a call inside an object literal passed to a helper in a do-while condition (`while (k < 2 && h0(1, { x: h1(x), y: x }) < x)`) is rejected with TSG1002 at `do`; the same call as a number argument, or in a while condition, is accepted",
  },
  {
    id: "inlined-binding-write",
    reproducer: "inlined-binding-write.ts",
    summary: "a helper returning a structure (inlined) that reassigns a number bound by its destructured parameter is rejected with TSG1050, as if it wrote into the caller's object",
  },
  {
    id: "shallow-spread",
    reproducer: "shallow-spread.ts",
    summary: "`{ ...p }` shares p's nested objects (a shallow copy) but tsgrad copies every leaf: a write through the copy's nested field is not seen through p (silently wrong value and gradient)",
  },
  {
    id: "swap-const-fields",
    reproducer: "swap-const-fields.ts",
    summary:
      "a destructuring assignment (`[s.a, s.b] = [s.b, s.a]`) to fields of a const structure, or to parameters of an inlined helper returning a structure, leaves the targets const in the generated code, which assigns them (TypeError: Assignment to constant variable)",
  },
  {
    id: "destructure-written",
    reproducer: "destructure-written.ts",
    summary:
      "`const { x: a } = s` (numbers copied out of a local structure) is rejected with TSG1051 'would share one object' when a field of s is written, and every later read of `a` gets a bogus TSG1018 'module-level variable'",
  },
  // Fixed: for-init-call, wrt-assigned-param, bool-reassign, if-condition-not-recorded,
  // helper-local-array, bool-narrowed-never, array-element-overwrite (their reproducers run
  // unskipped in reproducers.test.ts).
];

/** Every workaround, for runs that should not trip over known bugs. */
export const AVOID_KNOWN: string[] = KNOWN_BUGS.map((b) => b.id);
