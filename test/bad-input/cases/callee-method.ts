// expect: TSG1011 4:10
// message: 'Date.now' is not a function tsgrad can differentiate
export function f(x: number): number {
  return Date.now() * x;
}
