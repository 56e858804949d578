// Fixed bug (found by the long --arrays run, seed 1 program 9610, reduced): the tidy pass joined
// `dt2 = dx; continue; dt2 -= dx;` into `dt2 = dx - dx;`, moving code that never runs across the
// `continue`: f_jvp gave 0. Accumulations are no longer merged past a statement that may jump
// (tidy-merge-past-continue.ts is the unreduced form), and unreachable statements are dropped.
// Expected: f1(x, v) = x, df/dx = 1.
/* fuzz-reproducer
{
  "entries": { "f1": { "x": "num", "v": "f64" } },
  "points": { "f1": [[0.274731, [-0.031798, -1.832377, -1.711568, -1.113656]], [-1.079625, [0.788905, -1.89853, 1.760187, 0.878771]]] }
}
*/
export function f1(x: number, v: Float64Array): number {
  let t2: number = x;
  for (let i3 = 0; i3 < 1; i3++) {
    t2 = x;
    continue;
    t2 -= x;
  }
  return t2;
}
