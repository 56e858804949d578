// expect: TSG1070 7:9
// message: Array method 'push' on an array of objects with boolean or string fields
type Marker = { x: number; seen: boolean };

export function f(xs: number[]): number {
  let s = 0;
  const out: Marker[] = [];
  for (const x of xs) out.push({ x: x * 2, seen: x > 0 });
  for (const m of out) if (m.seen) s += m.x;
  return s;
}
