/**
 * ADBench LSTM loss: a diagonal (element-wise) l-layer LSTM run over a c-character text, each
 * character b bits, predicting the next character.
 *
 * Plain TypeScript as a user would write it; tsgrad compiles it to objective.grad.ts.
 *
 *   mainParams:  2l x 4b; row 2i = layer i weights, row 2i+1 = layer i biases, each row being
 *                the blocks [forget | input gate | output gate | change] of b numbers
 *   extraParams: 3 x b; input weight, output weight, output bias
 *   state:       2l x b; initial hidden (row 2i) and cell (row 2i+1) state of layer i
 *   sequence:    c x b bits
 */

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function lstm_objective(
  mainParams: Float64Array,
  extraParams: Float64Array,
  state: Float64Array,
  sequence: Float64Array,
  l: number,
  c: number,
  b: number,
): number {
  // the state is updated in place: work on a copy
  const hidden = new Float64Array(l * b);
  const cell = new Float64Array(l * b);
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < b; j++) {
      hidden[i * b + j] = state[2 * i * b + j];
      cell[i * b + j] = state[(2 * i + 1) * b + j];
    }
  }
  const x = new Float64Array(b);
  const ypred = new Float64Array(b);
  let total = 0;
  for (let t = 0; t < c - 1; t++) {
    // input of the first layer
    for (let j = 0; j < b; j++) {
      x[j] = sequence[t * b + j] * extraParams[j];
    }
    for (let i = 0; i < l; i++) {
      const wo = 2 * i * 4 * b; // weights of layer i
      const bo = (2 * i + 1) * 4 * b; // biases of layer i
      for (let j = 0; j < b; j++) {
        const h = hidden[i * b + j];
        const forget = sigmoid(x[j] * mainParams[wo + j] + mainParams[bo + j]);
        const ingate = sigmoid(h * mainParams[wo + b + j] + mainParams[bo + b + j]);
        const outgate = sigmoid(x[j] * mainParams[wo + 2 * b + j] + mainParams[bo + 2 * b + j]);
        const change = Math.tanh(h * mainParams[wo + 3 * b + j] + mainParams[bo + 3 * b + j]);
        const s = cell[i * b + j] * forget + ingate * change;
        cell[i * b + j] = s;
        const hn = outgate * Math.tanh(s);
        hidden[i * b + j] = hn;
        x[j] = hn;
      }
    }
    // prediction and its log-softmax (ADBench's "log(2 + sum exp)" variant)
    let sumexp = 2;
    for (let j = 0; j < b; j++) {
      const y = x[j] * extraParams[b + j] + extraParams[2 * b + j];
      ypred[j] = y;
      sumexp += Math.exp(y);
    }
    const lse = Math.log(sumexp);
    for (let j = 0; j < b; j++) {
      total += sequence[(t + 1) * b + j] * (ypred[j] - lse);
    }
  }
  return -total / ((c - 1) * b);
}
