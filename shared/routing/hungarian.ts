/**
 * Maximum-weight assignment on a rectangular matrix with forbidden pairs.
 *
 * Why hand-written: the npm options (munkres-js and friends) are square-only
 * or pad with large numbers, are unmaintained, and allocate nested arrays per
 * call; the engine calls this on small, changing batches (a few to a few
 * dozen rows) and needs forbidden pairs and "leave unassigned" handled
 * exactly. The algorithm is the O(n^2 m) shortest-augmenting-path form of the
 * Hungarian method (Kuhn-Munkres with potentials, as in Jonker-Volgenant),
 * about sixty lines on typed arrays.
 *
 * Semantics: weights[r][c] is the gain of assigning row r to column c, or
 * null if forbidden. A row may stay unassigned (gain 0), so a negative gain
 * is only taken when it enables more than it costs. Returns, for each row,
 * the column index or -1.
 */
export function solveAssignment(weights: ReadonlyArray<ReadonlyArray<number | null>>): number[] {
  const rows = weights.length;
  const cols = rows === 0 ? 0 : Math.max(...weights.map((row) => row.length));
  if (rows === 0) return [];
  if (cols === 0) return new Array<number>(rows).fill(-1);
  if (rows > cols) {
    // Fewer rows than columns keeps the O(n^2 m) loop on the short side.
    const transposed: Array<Array<number | null>> = [];
    for (let c = 0; c < cols; c++) {
      const line: Array<number | null> = [];
      for (let r = 0; r < rows; r++) line.push(weights[r]?.[c] ?? null);
      transposed.push(line);
    }
    const byColumn = solveAssignment(transposed);
    const result = new Array<number>(rows).fill(-1);
    byColumn.forEach((row, column) => {
      if (row >= 0) result[row] = column;
    });
    return result;
  }

  // Columns 0..cols-1 are real; cols..cols+rows-1 are "unassigned" dummies at cost 0.
  const width = cols + rows;
  let maxAbs = 0;
  for (const row of weights) for (const w of row) if (w !== null && Number.isFinite(w)) maxAbs = Math.max(maxAbs, Math.abs(w));
  // Dearer than any assignment could ever gain, so never chosen while a dummy is free (one always is).
  const forbidden = (maxAbs + 1) * (rows + 1) * 4;
  const cost = new Float64Array((rows + 1) * (width + 1));
  for (let r = 0; r < rows; r++) {
    const line = weights[r] ?? [];
    for (let c = 0; c < width; c++) {
      let value = 0;
      if (c < cols) {
        const w = line[c];
        value = w === null || w === undefined || !Number.isFinite(w) ? forbidden : -w;
      }
      cost[(r + 1) * (width + 1) + (c + 1)] = value;
    }
  }

  const u = new Float64Array(rows + 1);
  const v = new Float64Array(width + 1);
  const match = new Int32Array(width + 1); // match[column] = row (1-based), 0 = free
  const way = new Int32Array(width + 1);
  const minv = new Float64Array(width + 1);
  const used = new Uint8Array(width + 1);

  for (let i = 1; i <= rows; i++) {
    match[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = match[j0] as number;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      const base = i0 * (width + 1);
      const ui0 = u[i0] as number;
      for (let j = 1; j <= width; j++) {
        if (used[j]) continue;
        const reduced = (cost[base + j] as number) - ui0 - (v[j] as number);
        if (reduced < (minv[j] as number)) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= width; j++) {
        if (used[j]) {
          const row = match[j] as number;
          u[row] = (u[row] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while ((match[j0] as number) !== 0);
    do {
      const j1 = way[j0] as number;
      match[j0] = match[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }

  const result = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= cols; j++) {
    const row = match[j] as number;
    if (row === 0) continue;
    const w = weights[row - 1]?.[j - 1];
    // A forbidden pair is never part of an optimum, but guard anyway.
    if (w !== null && w !== undefined && Number.isFinite(w)) result[row - 1] = j - 1;
  }
  return result;
}

/** Total gain of an assignment returned by solveAssignment. */
export function assignmentGain(weights: ReadonlyArray<ReadonlyArray<number | null>>, assignment: readonly number[]): number {
  let total = 0;
  assignment.forEach((column, row) => {
    if (column < 0) return;
    total += weights[row]?.[column] ?? 0;
  });
  return total;
}
