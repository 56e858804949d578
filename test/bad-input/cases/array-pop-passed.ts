// expect: TSG1073 10:10
// message: 'total(st)' passes 'st', an array that shrinks by pop, to a function
function total(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0);
}
export function f(xs: number[]): number {
  const st: number[] = [];
  for (const x of xs) st.push(x);
  st.pop();
  return total(st);
}
