// expect: TSG1016 4:10
// also: TSG1028 5:10
// message: Function 'pos' returns 'boolean'
function pos(u: number): boolean {
  return u > 0;
}
export function f(x: number): number {
  if (pos(x)) {
    return x;
  }
  return -x;
}
