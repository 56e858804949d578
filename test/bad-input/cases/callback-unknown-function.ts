// expect: TSG1071 4:21
// message: pass an arrow function written in place or the name of a function of this project
export function f(xs: number[]): number {
  const ys = xs.map(Math.sin);
  return ys[0];
}
