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
    id: "for-init-call",
    reproducer: "for-init-call.ts",
    summary:
      "A call in a for-loop initializer (`for (let t = g(x); ...)`) is lifted into the loop head as " +
      "`for (const g_result = g_forward(x), let t = g_result; ...)`: a syntax error in the tangent and " +
      "forward-sweep copies, and `const t` (then `t += 0.5` throws) in the reverse one.",
  },
  {
    id: "wrt-assigned-param",
    reproducer: "wrt-assigned-param.ts",
    summary:
      "With --wrt leaving out a parameter that the function assigns to (`y = Math.sin(x + y)`), f_grad " +
      "uses the adjoint `dy` without declaring it: ReferenceError at run time (and a type error).",
  },
  {
    id: "bool-reassign",
    reproducer: "bool-condition-reassigned.ts",
    summary:
      "`if (b) { b = false; } else { ... }`: the reverse sweep re-evaluates `b` after the branch changed " +
      "it and replays the other branch: wrong gradient, values left on the tape. Workaround: boolean " +
      "locals are never reassigned.",
  },
  {
    id: "if-condition-not-recorded",
    reproducer: "if-condition-not-recorded.ts",
    summary:
      "An `if` whose body only overwrites a value (no derivative work) pushes the old value but does not " +
      "record its outcome in a loop or a helper's forward/reverse pair: the reverse sweep never restores " +
      "the value and replays branches with the overwritten one. Wrong gradients, unbalanced tape. No " +
      "generator workaround: the fixed-seed run skips the programs it breaks (fuzz.test.ts).",
  },
];

/** Every workaround, for runs that should not trip over known bugs. */
export const AVOID_KNOWN: string[] = KNOWN_BUGS.map((b) => b.id);
