// expect: TSG1055 5:9
// message: An array inside a structure that is copied or built
type Layer = { w: number[]; b: number };
export function f(layer: Layer, x: number): number {
  const copy = { ...layer };
  const y = copy.w[0] * x + copy.b;
  return y;
}
