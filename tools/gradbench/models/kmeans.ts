// compile: tsgrad compile kmeans.ts --mode reverse --wrt centroids --hvp
/**
 * GradBench's `kmeans` eval: the k-means cost, the squared distance from each point to its
 * closest centroid, summed over the points. tsgrad writes kmeans.grad.ts with respect to the
 * centroids, with `kmeans_hvp` (`--hvp`) for the Newton direction of the `dir` function.
 * The closest centroid is found first (an index: nothing to differentiate), then its distance
 * is added: the reverse sweep records one index per point, not the running minimum of each
 * comparison as `Math.min(closest, squaredDistance(p, c))` over the centroids would.
 */
function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let l = 0; l < a.length; l++) s += (a[l] - b[l]) ** 2;
  return s;
}

/** The index of the centroid closest to p (the first of equals). */
function closestCentroid(p: readonly number[], centroids: number[][]): number {
  let closest = 0;
  let best = Infinity;
  for (let j = 0; j < centroids.length; j++) {
    const d = squaredDistance(p, centroids[j]);
    if (d < best) {
      best = d;
      closest = j;
    }
  }
  return closest;
}

export function kmeans(points: number[][], centroids: number[][]): number {
  let cost = 0;
  for (const p of points) cost += squaredDistance(p, centroids[closestCentroid(p, centroids)]);
  return cost;
}
