// expect: TSG1058 14:17
// message: 'qs', a local array, which may hold one object more than once, is passed to 'energy', which compares its elements
interface P { x: number; y: number }

function energy(ps: readonly P[]): number {
  let e = 0;
  for (const a of ps) for (const b of ps) if (a !== b) e += (a.x - b.x) ** 2;
  return e;
}

export function f(ps: P[], k: number): number {
  const p = ps[0];
  const qs = [p, p, ps[1]];
  return energy(qs) * k;
}
