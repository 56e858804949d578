// Trial corpus, batch 2: colour science written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

export type RGB = [r: number, g: number, b: number];
export type Oklab = { L: number; a: number; b: number };

const toLinear = (c: number): number => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};

// Mirrors: Oklab conversions in colour-picker and palette code (culori / colorjs style): named tuple in, channels linearised with map, object out.
export function srgbToOklab(rgb: RGB): Oklab {
  const [r, g, b] = rgb.map(toLinear);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return {
    L: 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    a: 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    b: 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  };
}
