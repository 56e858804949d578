// expect: TSG1017 4:3
// message: 'a' is a parameter array and is written to
export function f(a: number[]): number {
  a[0] = 1;
  return a[0] * a[1];
}
