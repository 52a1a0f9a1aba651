// Host-owned linear memory shared by the WASM kernels and their TypeScript twins: a bump allocator
// with 16-byte alignment over a WebAssembly.Memory, and typed views that follow memory growth.

/** The first 64 KiB belong to the module's static data (memoryBase 1024, libm tables, scratch). */
const STATIC_BYTES = 65536;
const PAGE = 65536;
/** The maximum of condensa-shared.wasm's imported memory (asconfig.json, target shared). */
const SHARED_MAX_PAGES = 65536;

/** A shared memory for condensa-shared.wasm (Node workers; a page only when cross-origin isolated). */
export function sharedMemory(initialPages = 32): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: initialPages, maximum: SHARED_MAX_PAGES, shared: true });
}

export class Heap {
  readonly memory: WebAssembly.Memory;
  private top = STATIC_BYTES;
  private buffer: ArrayBuffer | SharedArrayBuffer;
  private views!: { f32: Float32Array; f64: Float64Array; u32: Uint32Array };

  /** Over `memory` (one made before: a shared one), or over a fresh memory of that many pages. */
  constructor(memory: WebAssembly.Memory | number = 32) {
    this.memory = typeof memory === 'number' ? new WebAssembly.Memory({ initial: memory }) : memory;
    this.buffer = this.memory.buffer;
    this.refresh();
  }

  private refresh(): void {
    this.buffer = this.memory.buffer;
    this.views = { f32: new Float32Array(this.buffer), f64: new Float64Array(this.buffer), u32: new Uint32Array(this.buffer) };
  }

  /** Views over the whole memory; re-read after any allocation. Growth detaches a plain memory's old buffer
   * (its byteLength reads 0: a cheap test, where reading memory.buffer on every access is not); a shared
   * memory's old buffer stays valid up to its length, and alloc refreshes before handing out more. */
  get f32(): Float32Array {
    if (this.buffer.byteLength === 0) this.refresh();
    return this.views.f32;
  }
  get f64(): Float64Array {
    if (this.buffer.byteLength === 0) this.refresh();
    return this.views.f64;
  }
  get u32(): Uint32Array {
    if (this.buffer.byteLength === 0) this.refresh();
    return this.views.u32;
  }

  /** Reserve `bytes` (rounded up to 16), zero-filled; returns the byte pointer. */
  alloc(bytes: number): number {
    const ptr = this.top;
    const end = ptr + Math.ceil(bytes / 16) * 16;
    if (end > this.buffer.byteLength) {
      this.refresh();
      const have = this.buffer.byteLength;
      if (end > have) {
        this.memory.grow(Math.ceil((end - have) / PAGE));
        this.refresh();
      }
    }
    this.top = end;
    this.views.u32.fill(0, ptr >>> 2, end >>> 2);
    return ptr;
  }
  allocF32(n: number): number {
    return this.alloc(4 * n);
  }
  allocF64(n: number): number {
    return this.alloc(8 * n);
  }

  /** Copy `data` into fresh memory and return its pointer. */
  putF32(data: ArrayLike<number>): number {
    const ptr = this.allocF32(data.length);
    this.f32.set(data, ptr >>> 2);
    return ptr;
  }
  putF64(data: ArrayLike<number>): number {
    const ptr = this.allocF64(data.length);
    this.f64.set(data, ptr >>> 3);
    return ptr;
  }

  /** A live view of n floats at ptr (valid until the next allocation). */
  viewF32(ptr: number, n: number): Float32Array {
    return this.f32.subarray(ptr >>> 2, (ptr >>> 2) + n);
  }
  viewF64(ptr: number, n: number): Float64Array {
    return this.f64.subarray(ptr >>> 3, (ptr >>> 3) + n);
  }

  /** Allocation mark, to free everything allocated after it with `release`. */
  mark(): number {
    return this.top;
  }
  release(mark: number): void {
    this.top = mark;
  }
}
