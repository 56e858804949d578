// expect: TSG1011 5:10
// message: 'ext' is not a function tsgrad can differentiate
declare function ext(u: number): number;
export function f(x: number): number {
  return ext(x) * x;
}
