// expect: TSG1071 4:20
// message: use a numeric array variable (or a row m[i]) here
export function f(a: number[]): number {
  const b = [1, ...a.slice(1)];
  return b[0];
}
