// Trial corpus, batch 2: animation and easing written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

// Mirrors: CSS `cubic-bezier(x1, y1, x2, y2)` evaluators (bezier-easing ports): local sample/slope closures, Newton steps on x(s) = t with breaks, then y(s).
export function cubicBezier(t: number, x1: number, y1: number, x2: number, y2: number): number {
  const cx = 3 * x1;
  const bx = 3 * (x2 - x1) - cx;
  const ax = 1 - cx - bx;
  const cy = 3 * y1;
  const by = 3 * (y2 - y1) - cy;
  const ay = 1 - cy - by;
  const sampleX = (s: number) => ((ax * s + bx) * s + cx) * s;
  const sampleY = (s: number) => ((ay * s + by) * s + cy) * s;
  const slopeX = (s: number) => (3 * ax * s + 2 * bx) * s + cx;
  let s = t;
  for (let i = 0; i < 8; i++) {
    const err = sampleX(s) - t;
    if (Math.abs(err) < 1e-7) break;
    const d = slopeX(s);
    if (Math.abs(d) < 1e-6) break;
    s -= err / d;
  }
  return sampleY(s);
}

export interface SpringConfig {
  stiffness?: number;
  damping?: number;
  mass?: number;
}

// Mirrors: react-spring / framer-motion style analytic springs: config object with optional fields, a getter, under-/critically-/over-damped branches.
export class SpringAnimation {
  stiffness: number;
  damping: number;
  mass: number;

  constructor(config: SpringConfig = {}) {
    this.stiffness = config.stiffness ?? 170;
    this.damping = config.damping ?? 26;
    this.mass = config.mass ?? 1;
  }

  get dampingRatio(): number {
    return this.damping / (2 * Math.sqrt(this.stiffness * this.mass));
  }

  positionAt(t: number, from: number, to: number, velocity = 0): number {
    const w0 = Math.sqrt(this.stiffness / this.mass);
    const zeta = this.dampingRatio;
    const x0 = from - to;
    if (zeta < 1) {
      const wd = w0 * Math.sqrt(1 - zeta * zeta);
      const envelope = Math.exp(-zeta * w0 * t);
      return to + envelope * (x0 * Math.cos(wd * t) + ((velocity + zeta * w0 * x0) / wd) * Math.sin(wd * t));
    } else if (zeta === 1) {
      return to + Math.exp(-w0 * t) * (x0 + (velocity + w0 * x0) * t);
    }
    const wd = w0 * Math.sqrt(zeta * zeta - 1);
    return to + Math.exp(-zeta * w0 * t) * (x0 * Math.cosh(wd * t) + ((velocity + zeta * w0 * x0) / wd) * Math.sinh(wd * t));
  }
}

export interface Keyframe {
  time: number;
  value: number;
  easing?: "linear" | "easeIn" | "easeOut" | "easeInOut";
}

// Mirrors: keyframe tracks in web-animation / tweening code: clamped ends, findIndex for the active segment, per-key optional easing name and a switch.
export function sampleTrack(keyframes: Keyframe[], time: number): number {
  if (time <= keyframes[0].time) return keyframes[0].value;
  const last = keyframes[keyframes.length - 1];
  if (time >= last.time) return last.value;
  const i = keyframes.findIndex((k) => k.time > time);
  const a = keyframes[i - 1];
  const b = keyframes[i];
  let u = (time - a.time) / (b.time - a.time);
  switch (b.easing ?? "linear") {
    case "easeIn":
      u = u * u;
      break;
    case "easeOut":
      u = u * (2 - u);
      break;
    case "easeInOut":
      u = u < 0.5 ? 2 * u * u : -1 + (4 - 2 * u) * u;
      break;
  }
  return a.value + (b.value - a.value) * u;
}
