// expect: TSG1042 6:19
// message: 'for...of' over 'm[i]', which reads a variable that changes
export function f(m: number[][]): number {
  let s = 0;
  let i = 0;
  for (const x of m[i]) {
    s += x;
    i = 1;
  }
  return s;
}
