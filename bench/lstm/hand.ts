/**
 * Hand-written value and gradient of the ADBench LSTM loss (the practical lower bound).
 * The forward sweep stores, per time step, layer and bit, the layer input, the previous hidden
 * and cell values, the four gate activations and tanh(new cell); the reverse sweep runs back
 * through time with the hidden/cell adjoints of every layer carried between steps.
 */

export interface LstmGrad {
  value: number;
  grad: { mainParams: Float64Array; extraParams: Float64Array };
}

const REC = 8; // numbers stored per (t, layer, bit)
let tape = new Float64Array(0);
let probs = new Float64Array(0);

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function lstm_grad_hand(
  mainParams: Float64Array,
  extraParams: Float64Array,
  state: Float64Array,
  sequence: Float64Array,
  l: number,
  c: number,
  b: number,
): LstmGrad {
  const steps = c - 1;
  if (tape.length < steps * l * b * REC) tape = new Float64Array(steps * l * b * REC);
  if (probs.length < steps * b) probs = new Float64Array(steps * b);
  const hidden = new Float64Array(l * b);
  const cell = new Float64Array(l * b);
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < b; j++) {
      hidden[i * b + j] = state[2 * i * b + j]!;
      cell[i * b + j] = state[(2 * i + 1) * b + j]!;
    }
  }
  const x = new Float64Array(b);
  let total = 0;
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < b; j++) x[j] = sequence[t * b + j]! * extraParams[j]!;
    for (let i = 0; i < l; i++) {
      const wo = 8 * i * b;
      const bo = wo + 4 * b;
      let rec = (t * l + i) * b * REC;
      for (let j = 0; j < b; j++) {
        const xin = x[j]!;
        const h = hidden[i * b + j]!;
        const sp = cell[i * b + j]!;
        const f = sigmoid(xin * mainParams[wo + j]! + mainParams[bo + j]!);
        const ig = sigmoid(h * mainParams[wo + b + j]! + mainParams[bo + b + j]!);
        const o = sigmoid(xin * mainParams[wo + 2 * b + j]! + mainParams[bo + 2 * b + j]!);
        const g = Math.tanh(h * mainParams[wo + 3 * b + j]! + mainParams[bo + 3 * b + j]!);
        const s = sp * f + ig * g;
        const ts = Math.tanh(s);
        const hn = o * ts;
        cell[i * b + j] = s;
        hidden[i * b + j] = hn;
        x[j] = hn;
        tape[rec] = xin;
        tape[rec + 1] = h;
        tape[rec + 2] = sp;
        tape[rec + 3] = f;
        tape[rec + 4] = ig;
        tape[rec + 5] = o;
        tape[rec + 6] = g;
        tape[rec + 7] = ts;
        rec += REC;
      }
    }
    let sumexp = 2;
    for (let j = 0; j < b; j++) {
      const y = x[j]! * extraParams[b + j]! + extraParams[2 * b + j]!;
      const e = Math.exp(y);
      probs[t * b + j] = e;
      sumexp += e;
      total += sequence[(t + 1) * b + j]! * y;
    }
    const lse = Math.log(sumexp);
    let s1 = 0;
    for (let j = 0; j < b; j++) s1 += sequence[(t + 1) * b + j]!;
    total -= s1 * lse;
    const inv = 1 / sumexp;
    for (let j = 0; j < b; j++) probs[t * b + j] *= inv;
  }
  const scale = -1 / (steps * b);
  const value = total * scale;

  // reverse sweep
  const dMain = new Float64Array(mainParams.length);
  const dExtra = new Float64Array(extraParams.length);
  const dh = new Float64Array(l * b);
  const ds = new Float64Array(l * b);
  const dx = x; // reused as the adjoint of the current layer output
  for (let t = steps - 1; t >= 0; t--) {
    let s1 = 0;
    for (let j = 0; j < b; j++) s1 += sequence[(t + 1) * b + j]!;
    const top = ((t * l + l - 1) * b) * REC;
    for (let j = 0; j < b; j++) {
      const dy = scale * (sequence[(t + 1) * b + j]! - s1 * probs[t * b + j]!);
      const r = top + j * REC;
      const xtop = tape[r + 5]! * tape[r + 7]!;
      dExtra[b + j] += dy * xtop;
      dExtra[2 * b + j] += dy;
      dx[j] = dy * extraParams[b + j]!;
    }
    for (let i = l - 1; i >= 0; i--) {
      const wo = 8 * i * b;
      const bo = wo + 4 * b;
      let rec = (t * l + i) * b * REC;
      for (let j = 0; j < b; j++) {
        const xin = tape[rec]!;
        const hp = tape[rec + 1]!;
        const sp = tape[rec + 2]!;
        const f = tape[rec + 3]!;
        const ig = tape[rec + 4]!;
        const o = tape[rec + 5]!;
        const g = tape[rec + 6]!;
        const ts = tape[rec + 7]!;
        rec += REC;
        const k = i * b + j;
        const dhn = dx[j]! + dh[k]!;
        const dsn = ds[k]! + dhn * o * (1 - ts * ts);
        ds[k] = dsn * f;
        const dzf = dsn * sp * f * (1 - f);
        const dzi = dsn * g * ig * (1 - ig);
        const dzo = dhn * ts * o * (1 - o);
        const dzg = dsn * ig * (1 - g * g);
        dMain[wo + j] += dzf * xin;
        dMain[bo + j] += dzf;
        dMain[wo + b + j] += dzi * hp;
        dMain[bo + b + j] += dzi;
        dMain[wo + 2 * b + j] += dzo * xin;
        dMain[bo + 2 * b + j] += dzo;
        dMain[wo + 3 * b + j] += dzg * hp;
        dMain[bo + 3 * b + j] += dzg;
        dh[k] = dzi * mainParams[wo + b + j]! + dzg * mainParams[wo + 3 * b + j]!;
        dx[j] = dzf * mainParams[wo + j]! + dzo * mainParams[wo + 2 * b + j]!;
      }
    }
    for (let j = 0; j < b; j++) dExtra[j] += dx[j]! * sequence[t * b + j]!;
  }
  return { value, grad: { mainParams: dMain, extraParams: dExtra } };
}
