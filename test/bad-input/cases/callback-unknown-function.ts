// expect: TSG1071 5:21
// message: the method would pass it the index and the array too
// JavaScript's map passes (x, i, array): xs.map(Math.pow) is x ** i; say so in an arrow function.
export function f(xs: number[]): number {
  const ys = xs.map(Math.pow);
  return ys[0];
}
