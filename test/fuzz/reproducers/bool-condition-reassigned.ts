// BUG (found by the fuzzer, open): silently wrong gradient. The reverse sweep re-evaluates the
// condition `b` after the branch has reassigned it (`b = false`), so it replays the else branch
// (`dx = 0`) instead of the then branch: f_grad(0.5) gives dx = 0, the derivative is 1. It also
// pops the tape inside the wrong branch, leaving a value behind.
// Expected: the branch outcome recorded before the branch runs, as for numeric conditions.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
export function f(x: number): number {
  let b = true;
  if (b) {
    b = false;
  } else {
    x = 1;
  }
  return x;
}
