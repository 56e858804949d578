// compile: tsgrad compile lstm.ts --mode reverse --fn lstmObjective --wrt mainParams,extraParams
/**
 * GradBench's `lstm` eval (ADBench's LSTM, whose weight matrices are diagonal): `layers` LSTM
 * layers of b cells run over a text of c characters of b bits each, predicting each next
 * character; the loss is the mean negative log-likelihood of the text.
 *
 *   mainParams:  2 layers x 4b: row 2i holds layer i's weights, row 2i + 1 its biases, each the
 *                blocks [forget | input gate | output gate | change] of b numbers
 *   extraParams: 3 x b: the input weights, the output weights and the output biases
 *   state:       2 layers x b: layer i's initial hidden state (row 2i) and cell state (row 2i + 1)
 *   sequence:    c x b, the characters' bits
 *
 * tsgrad writes lstm.grad.ts (the gradient with respect to mainParams and extraParams).
 */

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** One step of a layer: its gates from the input and the hidden state, then the new cell and hidden state, in place. */
function layerStep(weight: number[], bias: number[], hidden: number[], cell: number[], input: number[]): void {
  const b = hidden.length;
  for (let i = 0; i < b; i++) {
    const forget = sigmoid(input[i] * weight[i] + bias[i]);
    const ingate = sigmoid(hidden[i] * weight[b + i] + bias[b + i]);
    const outgate = sigmoid(input[i] * weight[2 * b + i] + bias[2 * b + i]);
    const change = Math.tanh(hidden[i] * weight[3 * b + i] + bias[3 * b + i]);
    cell[i] = cell[i] * forget + ingate * change;
    hidden[i] = outgate * Math.tanh(cell[i]);
  }
}

/** log(2 + sum(exp(v))): ADBench's normalisation of the prediction. */
function logsumexp2(v: number[]): number {
  let s = 2;
  for (const y of v) s += Math.exp(y);
  return Math.log(s);
}

/** The loss of the LSTM over the sequence: minus the mean log-probability of each next character's bits. */
export function lstmObjective(mainParams: number[][], extraParams: number[][], state: number[][], sequence: number[][]): number {
  const layers = mainParams.length / 2;
  const b = sequence[0].length;
  const inWeight = extraParams[0];
  const outWeight = extraParams[1];
  const outBias = extraParams[2];

  // the state changes as the text is read: work on a copy
  const hidden = Array.from({ length: layers }, () => new Array<number>(b).fill(0));
  const cell = Array.from({ length: layers }, () => new Array<number>(b).fill(0));
  for (let layer = 0; layer < layers; layer++) {
    for (let i = 0; i < b; i++) {
      hidden[layer][i] = state[2 * layer][i];
      cell[layer][i] = state[2 * layer + 1][i];
    }
  }

  const input = new Array<number>(b).fill(0);
  const prediction = new Array<number>(b).fill(0);
  let total = 0;
  for (let t = 0; t + 1 < sequence.length; t++) {
    const x = sequence[t];
    for (let i = 0; i < b; i++) input[i] = x[i] * inWeight[i];
    // each layer reads the input, or the hidden state the layer below has just computed
    for (let layer = 0; layer < layers; layer++) {
      const weight = mainParams[2 * layer];
      const bias = mainParams[2 * layer + 1];
      if (layer === 0) layerStep(weight, bias, hidden[0], cell[0], input);
      else layerStep(weight, bias, hidden[layer], cell[layer], hidden[layer - 1]);
    }
    const last = hidden[layers - 1];
    for (let i = 0; i < b; i++) prediction[i] = last[i] * outWeight[i] + outBias[i];
    const lse = logsumexp2(prediction);
    const next = sequence[t + 1];
    for (let i = 0; i < b; i++) total += next[i] * (prediction[i] - lse);
  }
  return -total / ((sequence.length - 1) * b);
}
