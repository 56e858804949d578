// expect: TSG1024 4:14
// message: '...a' is not a number
export function f(a: number[]): number {
  const b = [...a, 1];
  return b[0];
}
