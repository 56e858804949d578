// Found by the long fuzz run (seed 424242, program 88716) against the compiler of 07:30: f_jvp
// gave NaN where f_grad gave 0. The helper's tangent routine multiplied the zero tangent of a
// constant argument by cbrt's infinite slope at 0 (0 * Infinity). Fixed since (a constant
// argument's tangent no longer meets the rule); kept as a regression test.
/* fuzz-reproducer
{
  "entries": { "f0": { "x": "num", "y": "num" }, "f1": { "x": "num", "y": "num" } },
  "points": { "f0": [[-1.405227, -0.177967], [0.3, 0.7]], "f1": [[0.5, 0.3], [-1.1, 1.7]] }
}
*/
function h1(p0: number, p1: number, p2: number): number {
  return Math.cbrt((p0 - p1) + 0.5);
}

export function f0(x: number, y: number): number {
  return h1(0.5, 1, y);
}

function h(p: number, q: number): number {
  return Math.cbrt(p) + Math.sqrt(p) + q;
}

export function f1(x: number, y: number): number {
  return h(0, x) + y;
}
