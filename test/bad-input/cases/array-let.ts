// expect: TSG1042 6:19
// message: 'for...of' over 'a', which reads a variable that changes while the loop runs
export function f(x: number): number {
  const b = [x, 3 * x];
  let a = [x, 2 * x];
  for (const v of a) a = b;
  return a[1];
}
