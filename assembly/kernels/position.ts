// The last position of each of n sequences (L positions of C features): taken for the read-out of a
// decoder (cross-entropy on the last token), and its gradient put back with zeros elsewhere.
// src/reference/position.ts is the bit-exact twin.

/** y(i, c) = x(i, L − 1, c). */
export function last_position(n: i32, L: i32, C: i32, x: usize, y: usize): void {
  const bytes = (<usize>C) << 2;
  for (let i = 0; i < n; i++) memory.copy(y + <usize>i * bytes, x + <usize>(i * L + L - 1) * bytes, bytes);
}

/** gx(i, l, c) = g(i, c) at l = L − 1, else 0. */
export function last_position_backward(n: i32, L: i32, C: i32, g: usize, gx: usize): void {
  const bytes = (<usize>C) << 2;
  memory.fill(gx, 0, <usize>(n * L) * bytes);
  for (let i = 0; i < n; i++) memory.copy(gx + <usize>(i * L + L - 1) * bytes, g + <usize>i * bytes, bytes);
}
