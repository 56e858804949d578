// expect: TSG1072 11:10
// message: 'total(ys)' passes 'ys', an array that grows by push, to a function before its last push
function total(v: readonly number[]): number {
  return v.reduce((s, x) => s + x * x, 0);
}
export function f(xs: number[]): number {
  const ys: number[] = [];
  let s = 0;
  for (const x of xs) {
    ys.push(x * 2);
    s += total(ys);
  }
  return s;
}
