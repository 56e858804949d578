// expect: TSG1058 6:31
// message: 'a !== p' compares objects by identity, which tsgrad decides only for two elements of one array of objects that is a parameter
interface P { x: number; y: number }

export function f(ps: P[], p: P): number {
  return ps.reduce((s, a) => (a !== p ? s + a.x * p.y : s), 0);
}
