// expect: TSG1009 4:9
// message: 'y' has type 'any'
export function f(x: number): number {
  const y: any = x;
  return y * 2;
}
