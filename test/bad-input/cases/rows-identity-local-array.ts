// expect: TSG1058 9:9
// message: 'ps[i]' and 'b' are elements of a local array, which may hold one object more than once
interface P { x: number; y: number }

export function f(initial: P[], p: P): number {
  const ps = initial.map((q) => (q.x > 0 ? q : p));
  let e = 0;
  for (let i = 0; i < ps.length; i++) for (const b of ps) {
    if (ps[i] !== b) e += ps[i].x * b.y;
  }
  return e;
}
