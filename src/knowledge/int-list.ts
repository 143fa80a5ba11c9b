/** A growable list of 32-bit integers (one typed array instead of many small ones). */
export class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The values (a view; valid until the next push). */
  array(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
