// expect: TSG1035 6:3
// message: 's.scale' is optional (a number or undefined) and is assigned again
// (The tape holds numbers: an optional field's undefined could not be restored.)
type Style = { width: number; scale?: number };
export function f(s: Style): number {
  s.scale = 2;
  return s.width * s.scale;
}
