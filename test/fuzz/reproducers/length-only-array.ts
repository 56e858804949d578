// Fixed bug (found by the fuzzer with --rows, seed 20261212 program 27): after the to-be-recorded
// analysis stopped counting `a.length` as a read of a's elements, a helper's local array whose
// length alone its reverse routine reads (re-evaluating `if (ys.length > 2)`) was no longer
// passed from its forward routine: the reverse routine saw an empty placeholder, took the other
// branch, and popped a trip count that was never pushed (tape imbalance). Such an array is live
// at the end of the forward sweep again (its elements still need no recording).
// Expected: f(a, xs) = h(a, xs) + a, h grows s = a by s = 1.5 s + 0.1 while s < 4 (at most 5 times).
/* fuzz-reproducer
{
  "entries": { "f": { "a": "num", "xs": "vec" } },
  "points": { "f": [[0.5, [1, 2, 3]], [1.5, [0.5, 0.25, 2, 1]]] }
}
*/
function h(a: number, xs: number[]): number {
  const ys = xs.map((x) => x * 2);
  let s = a;
  if (ys.length > 2) {
    let n = 0;
    while (s < 4 && n < 5) {
      s = s * 1.5 + 0.1;
      n++;
    }
  }
  return s;
}

export function f(a: number, xs: number[]): number {
  return h(a, xs) + a;
}
