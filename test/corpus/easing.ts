// Trial corpus: easing functions written the way public TypeScript writes them (see bench/README.md).

// Mirrors: easings.net `easeOutElastic` as an exported arrow constant with a nested ternary (many `easing.ts` files).
export const easeOutElastic = (x: number): number => {
  const c4 = (2 * Math.PI) / 3;
  return x === 0 ? 0 : x === 1 ? 1 : Math.pow(2, -10 * x) * Math.sin((x * 10 - 0.75) * c4) + 1;
};

// Mirrors: easings.net `easeOutBounce` with assignments inside expressions `(x -= 1.5 / d1)` (daneelsan/BouncingBalls easing.js).
export function easeOutBounce(x: number): number {
  const n1 = 7.5625;
  const d1 = 2.75;
  if (x < 1 / d1) {
    return n1 * x * x;
  } else if (x < 2 / d1) {
    return n1 * (x -= 1.5 / d1) * x + 0.75;
  } else if (x < 2.5 / d1) {
    return n1 * (x -= 2.25 / d1) * x + 0.9375;
  } else {
    return n1 * (x -= 2.625 / d1) * x + 0.984375;
  }
}

// Mirrors: an Easing class of static methods (SvenFrankson/planet-builder-web scripts/UI/Easing.ts).
export class Easing {
  public static easeInOutBack(x: number): number {
    const c1 = 1.70158;
    const c2 = c1 * 1.525;
    return x < 0.5
      ? (Math.pow(2 * x, 2) * ((c2 + 1) * 2 * x - c2)) / 2
      : (Math.pow(2 * x - 2, 2) * ((c2 + 1) * (x * 2 - 2) + c2) + 2) / 2;
  }
}

// Mirrors: plain `export function easeInOutCubic(t: number): number` (animation utility modules).
export function easeInOutCubic(t: number): number {
  return t < 0.5 ? 4 * t * t * t : 1 - Math.pow(-2 * t + 2, 3) / 2;
}

export type EaseKind = "linear" | "quad" | "cubic" | "sine";

// Mirrors: an easing dispatcher over a string-literal union with switch (tween libraries).
export function ease(kind: EaseKind, t: number): number {
  switch (kind) {
    case "linear":
      return t;
    case "quad":
      return t * t;
    case "cubic":
      return t * t * t;
    default:
      return 1 - Math.cos((t * Math.PI) / 2);
  }
}
