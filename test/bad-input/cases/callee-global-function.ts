// expect: TSG1011 4:10
// message: 'parseFloat' is not a function tsgrad can differentiate
export function f(x: number): number {
  return parseFloat("1.5") * x;
}
