// expect: TSG1058 7:47
// message: 'a' and 'b' are elements of different arrays: compare the indices (i === j) or the fields instead
interface P { x: number; y: number }

export function f(ps: P[], qs: P[]): number {
  let e = 0;
  for (const a of ps) for (const b of qs) if (a === b) e += a.x * b.y;
  return e;
}
