// expect: TSG1071 7:20
// message: use a numeric array variable (or a row m[i]) here
function tail(a: number[]): number[] {
  return a.slice(1);
}
export function f(a: number[]): number {
  const b = [1, ...tail(a)];
  return b[0];
}
