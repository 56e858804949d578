// expect: TSG1071 6:5
// message: writes a variable of the enclosing function (only forEach callbacks may)
export function f(xs: number[]): number {
  let count = 0;
  const ys = xs.map((x) => {
    count += 1;
    return x * count;
  });
  return ys[0];
}
