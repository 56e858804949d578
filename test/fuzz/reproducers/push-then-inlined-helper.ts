// BUG (found by the fuzzer with --methods, seed 51 program 9999, fixed): a helper inlined at its
// call (one returning an object, or writing into a parameter) that spreads or passes its array
// parameter was checked against the pushes by the place of its own statements in the file, not
// by the place of the call: with the helper written above the function, an array passed to it
// after its last push was rejected with TSG1072 and the exported function skipped.
// Expected: f(x, w) = (x^2 + w0^2) + (x^2 + w0^2)^(1/2) + x; gradient checked by finite differences.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "w": "vec" } },
  "points": { "f": [[0.5, [0.3, -1.2]], [-1.3, [1, 2]]] }
}
*/
type Vec2 = { x: number; y: number };

const spread = (a: number, v: number[]): Vec2 => {
  const r = Math.hypot(...v);
  return { x: r * r, y: r + a };
};

export function f(x: number, w: number[]): number {
  const out: number[] = [];
  out.push(x);
  out.push(w[0]);
  const p = spread(x, out);
  return p.x + p.y;
}
