// expect: TSG1071 4:13
// message: only a copy [...xs] takes a spread
export function f(a: number[]): number {
  const b = [...a, 1];
  return b[0];
}
