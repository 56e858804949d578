// Trial corpus: ML losses and likelihoods written the way public TypeScript writes them (see bench/README.md).

// Mirrors: mean squared error with reduce and the index argument (small TS neural-net libraries).
export function mse(pred: number[], target: number[]): number {
  return pred.reduce((acc, p, i) => acc + (p - target[i]) ** 2, 0) / pred.length;
}

// Mirrors: softmax cross-entropy with `Math.max(...logits)`, map and reduce (TS "deep learning from scratch" ports).
export function softmaxCrossEntropy(logits: number[], label: number): number {
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return -Math.log(exps[label] / sum);
}

// Mirrors: Huber loss with a default delta and an if/else branch per element (regression toolkits).
export function huber(pred: number[], target: number[], delta = 1.0): number {
  let loss = 0;
  for (let i = 0; i < pred.length; i++) {
    const r = Math.abs(pred[i] - target[i]);
    if (r <= delta) {
      loss += 0.5 * r * r;
    } else {
      loss += delta * (r - 0.5 * delta);
    }
  }
  return loss / pred.length;
}

// Mirrors: Gaussian negative log-likelihood with for...of (statistics helpers).
export function gaussianNll(xs: number[], mu: number, sigma: number): number {
  let nll = 0;
  for (const x of xs) {
    const z = (x - mu) / sigma;
    nll += 0.5 * z * z + Math.log(sigma) + 0.5 * Math.log(2 * Math.PI);
  }
  return nll;
}

function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

// Mirrors: Poisson log-likelihood with a log-factorial helper (count-data models).
export function poissonLogLik(counts: number[], lambda: number): number {
  let ll = 0;
  for (let i = 0; i < counts.length; i++) {
    ll += counts[i] * Math.log(lambda) - lambda - logFactorial(counts[i]);
  }
  return ll;
}

// Mirrors: 1-D Gaussian-mixture log-likelihood with nested loops and a log-sum-exp (clustering demos).
export function mixtureLogLik(xs: number[], weights: number[], means: number[], sds: number[]): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    let m = -Infinity;
    const terms = new Array(weights.length);
    for (let k = 0; k < weights.length; k++) {
      const z = (xs[i] - means[k]) / sds[k];
      terms[k] = Math.log(weights[k]) - Math.log(sds[k]) - 0.5 * z * z - 0.5 * Math.log(2 * Math.PI);
      if (terms[k] > m) m = terms[k];
    }
    let s = 0;
    for (let k = 0; k < weights.length; k++) s += Math.exp(terms[k] - m);
    total += m + Math.log(s);
  }
  return total;
}
