// expect: TSG1025 5:12
// message: 'row' names an array whose variable changes
export function f(m: number[][]): number {
  let s = 0;
  for (let row of m) {
    s += row[0];
  }
  return s;
}
