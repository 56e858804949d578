// expect: TSG1025 5:18
// also: TSG1025 7:9
// Arrays are declared with const and a new array, var arrays too.
export function f(x: number): number {
  if (x > 0) var a = [x, 1];
  else {
    var a = [1, x];
  }
  return a[0]! * a[1]!;
}
