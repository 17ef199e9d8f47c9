/** An append-only Uint32 buffer for building the index's flat arrays without a JS array per million entries. */
export class GrowableUint32 {
  private data: Uint32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Uint32Array(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index];
  }

  /** A right-sized copy; the builder can be dropped afterwards. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}
