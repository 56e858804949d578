// expect: TSG1002 4:10
// message: A spread argument
export function f(a: number[]): number {
  return Math.max(...a);
}
