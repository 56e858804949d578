// expect: TSG1018 5:10
// message: 'scale' is a module-level variable that can change
let scale = 2;
export function f(x: number): number {
  return scale * x;
}
