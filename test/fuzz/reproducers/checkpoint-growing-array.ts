// Fixed bug (found by the fuzzer with --methods --checkpoint, seed 62 program 587): a checkpointed
// loop growing an array by push. The state saved its elements but not its length, so restoring
// it wrote back the wrong number of elements (tape unbalanced), and the returned array, restored
// by the reverse sweep's runs again, was shortened (the value must be a copy).
// Expected: f0 = [x * 0, x * 1, ..., x * (n - 1)] for n = 7, d/dx = <cotangent, [0, 1, ..., 6]>.
/* fuzz-reproducer
{
  "entries": { "f0": { "x": "num", "n": "int" }, "f1": { "x": "num", "n": "int" } },
  "points": { "f0": [[1.5, 7], [-0.3, 1], [0.8, 0]], "f1": [[0.5, 5], [1.2, 3]] }
}
*/
export function f0(x: number, n: number): number[] {
  const out: number[] = [];
  // tsgrad: checkpoint every 3
  for (let i0 = 0; i0 < n; i0++) {
    out.push(x * i0);
  }
  return out;
}

/** The same with an array of tuples: a trajectory, one point pushed per step. */
export function f1(x: number, n: number): number {
  const path: [number, number][] = [];
  let p = x;
  // tsgrad: checkpoint every 2
  for (let t = 0; t < n; t++) {
    p = p * 0.9 + Math.sin(p);
    path.push([p, p * p]);
  }
  let s = 0;
  for (const row of path) s += row[0] * row[1];
  return s + path.length;
}
