// expect: TSG1070 7:6
// message: Array method 'slice' on an array of objects whose elements are written ('p'), and JavaScript's slice shares the objects with 'qs' where tsgrad copies them
interface P { x: number; y: number }

export function f(ps: P[]): number {
  const qs = ps.map((p) => ({ ...p }));
  qs.slice(1).forEach((p) => {
    p.x *= 2;
  });
  return qs[1].x;
}
