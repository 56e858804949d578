// compile: tsgrad compile ht-surface.ts --mode forward --wrt us
/**
 * The last step of GradBench's `ht` eval (complicated variant, see ht.ts): from the posed mesh
 * to the residuals, through the points of triangles given by barycentric coordinates u. tsgrad
 * writes ht-surface.grad.ts (forward mode, `--wrt us`): `surfaceResiduals_jvp`, whose tangent
 * along u's seeds gives the Jacobian's columns in u.
 */

/**
 * Point i (x y z of each in `points`) minus the point of triangle correspondences[i] with barycentric coordinates
 * (us[2i], us[2i + 1], 1 - both) on the posed mesh (x y z of each vertex in `posed`), x y z.
 * `triangles` is the mesh's index buffer, three vertex indices per triangle.
 */
export function surfaceResiduals(posed: Float64Array, us: Float64Array, triangles: Int32Array, correspondences: Int32Array, points: Float64Array): Float64Array {
  const err = new Float64Array(3 * correspondences.length);
  for (let i = 0; i < correspondences.length; i++) {
    const t = 3 * correspondences[i];
    const a = triangles[t];
    const b = triangles[t + 1];
    const c = triangles[t + 2];
    const u = us[2 * i];
    const v = us[2 * i + 1];
    for (let j = 0; j < 3; j++) err[3 * i + j] = points[3 * i + j] - (u * posed[3 * a + j] + v * posed[3 * b + j] + (1 - u - v) * posed[3 * c + j]);
  }
  return err;
}
