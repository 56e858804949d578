// Fixed bug (found by the fuzzer with --structs, seed 7100 program 1114): a boolean field read
// where TypeScript narrows it to `never` (`u.fixed !== true` after `if (u.fixed) return`, inside
// `while (... && u.fixed)`) was taken for a number: TSG1028. The field's declared type decides.
// Expected: f(x) = 2x + x^2, df/dx = 2 + 2x.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
type Vec2 = { x: number; y: number };
interface Particle { pos: Vec2; vel: Vec2; mass: number; fixed: boolean }

function h(p0: number, u: Particle): number {
  let k = 0;
  while (k < 1 && u.fixed) {
    k++;
    if (u.fixed) return p0 * 2;
    if (u.fixed !== true) return p0;
  }
  return p0 * p0;
}

export function f(x: number): number {
  const moving = { pos: { x, y: x }, vel: { x, y: x }, mass: x, fixed: false };
  return h(x, { ...moving, fixed: true }) + h(x, moving);
}
