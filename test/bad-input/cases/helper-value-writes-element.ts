// expect: TSG1071 6:5
// message: 'put' writes it and its value is used; call it as a statement, or return the new value
export function f(x: number): number {
  const buf = [0, 0];
  const put = (v: number) => {
    buf[0] = v;
    return v * 2;
  };
  return buf[0] + put(x);
}
