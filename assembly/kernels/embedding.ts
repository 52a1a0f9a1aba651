// Token embedding: each of `rows` token ids (f32 holding an integer in [0, vocab)) picks its row of a
// vocab × dim table; the table's gradient sums the output gradients of every row that picked it, in
// row order. src/reference/embedding.ts is the bit-exact twin.

/** y(r, j) = table(token_r, j). */
export function embedding_forward(rows: i32, dim: i32, tokens: usize, table: usize, y: usize): void {
  const bytes = (<usize>dim) << 2;
  for (let r = 0; r < rows; r++) {
    const tok = <usize>(<i32>load<f32>(tokens + ((<usize>r) << 2)));
    memory.copy(y + <usize>r * bytes, table + tok * bytes, bytes);
  }
}

/** dTable(v, j) = Σ_{r: token_r = v} g(r, j), r ascending from 0; rows of unused tokens are 0. */
export function embedding_grad(rows: i32, dim: i32, vocab: i32, tokens: usize, g: usize, dtable: usize): void {
  const bytes = (<usize>dim) << 2;
  memory.fill(dtable, 0, <usize>vocab * bytes);
  for (let r = 0; r < rows; r++) {
    const tok = <usize>(<i32>load<f32>(tokens + ((<usize>r) << 2)));
    const dst = dtable + tok * bytes,
      src = g + <usize>r * bytes;
    for (let j: usize = 0; j < bytes; j += 4) store<f32>(dst + j, load<f32>(dst + j) + load<f32>(src + j));
  }
}
