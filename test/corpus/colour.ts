// Trial corpus: colour-science conversions written the way public TypeScript writes them (see bench/README.md).

export interface RGB {
  r: number;
  g: number;
  b: number;
}

export interface Lab {
  L: number;
  a: number;
  b: number;
}

// Mirrors: `rgb2lab(rgb: RGB): Lab` with `let` channels reassigned by ternaries (Aptiq/crococroc-nuxt3 server/utils/colorSpace.ts).
export function rgb2lab(rgb: RGB): Lab {
  let r = rgb.r / 255;
  let g = rgb.g / 255;
  let b = rgb.b / 255;
  r = r > 0.04045 ? Math.pow((r + 0.055) / 1.055, 2.4) : r / 12.92;
  g = g > 0.04045 ? Math.pow((g + 0.055) / 1.055, 2.4) : g / 12.92;
  b = b > 0.04045 ? Math.pow((b + 0.055) / 1.055, 2.4) : b / 12.92;
  const x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047;
  const y = r * 0.2126 + g * 0.7152 + b * 0.0722;
  const z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return { L: 116 * f(y) - 16, a: 500 * (f(x) - f(y)), b: 200 * (f(y) - f(z)) };
}

type XYZ = { x: number; y: number; z: number };

const sRGBToLinear = (value: number): number => {
  if (value <= 0.04045) {
    return value / 12.92;
  } else {
    return Math.pow((value + 0.055) / 1.055, 2.4);
  }
};

// Mirrors: `export const rgbToXyz = (rgb: RGB): XYZ => {...}` calling an arrow helper (colour-picker utilities).
export const rgbToXyz = (rgb: RGB): XYZ => {
  const rl = sRGBToLinear(rgb.r / 255);
  const gl = sRGBToLinear(rgb.g / 255);
  const bl = sRGBToLinear(rgb.b / 255);
  return {
    x: rl * 0.4124564 + gl * 0.3575761 + bl * 0.1804375,
    y: rl * 0.2126729 + gl * 0.7151522 + bl * 0.072175,
    z: rl * 0.0193339 + gl * 0.119192 + bl * 0.9503041,
  };
};

export type Color = [number, number, number];

// Mirrors: `labToXyz([L, a, b]: Color)` with `**` and an object result (derivean app/type/Color helpers).
export function labToXyz([L, a, b]: Color): { X: number; Y: number; Z: number } {
  const fy = (L + 16) / 116;
  const fx = a / 500 + fy;
  const fz = fy - b / 200;
  const delta = 6 / 29;
  const xr = fx > delta ? fx ** 3 : (fx - 16 / 116) / 7.787;
  const yr = L > delta * 116 ? fy ** 3 : L / 903.3;
  const zr = fz > delta ? fz ** 3 : (fz - 16 / 116) / 7.787;
  return { X: xr * 95.047, Y: yr * 100, Z: zr * 108.883 };
}

// Mirrors: WCAG relative luminance with map over `[r, g, b]` and array destructuring (accessibility/contrast checkers).
export function relativeLuminance(r: number, g: number, b: number): number {
  const [R, G, B] = [r, g, b].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * R + 0.7152 * G + 0.0722 * B;
}
