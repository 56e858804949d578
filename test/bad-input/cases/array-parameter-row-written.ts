// expect: TSG1017 4:3
// message: 'm' is a parameter array and is written to
export function f(m: number[][], x: number): number {
  m[0][1] = x;
  return m[0][0];
}
