/**
 * The offline store's on-disk tables and the sort that builds them (layouts in FORMAT.md):
 * - keys.bin: a 64-byte header, a directory of 65,537 record indexes (one per hash bucket), then the
 *   12-byte records of key-codec.ts sorted by (hash, document type). Read into memory once; a lookup is
 *   one directory step and a binary search inside one bucket (~150 records at 10M, ~2,000 at 128M).
 * - refs.bin: the rare national references, by record index.
 * Records are sorted in memory-bounded partitions (by the top bits of the hash) with a stable LSD radix
 * sort on typed arrays, so an import never holds one JS object per record.
 */
import { closeSync, fsyncSync, openSync, readSync, writeSync, fstatSync } from 'node:fs';
import { BUCKET_BITS, BUCKET_COUNT, RECORD_BYTES, RECORD_WORDS, word1HashBits, word1Type } from './key-codec.js';
import { sltdError } from './errors.js';

const KEYS_MAGIC = 'TSLTDKEY';
const REFS_MAGIC = 'TSLTDREF';
export const KEYS_VERSION = 1;
const KEYS_HEADER_BYTES = 64;
const DIRECTORY_BYTES = (BUCKET_COUNT + 1) * 4;
const RECORDS_OFFSET = KEYS_HEADER_BYTES + DIRECTORY_BYTES;
const REFS_FOOTER_BYTES = 16;
/** Reads of a large file go in pieces: one read() call is limited to 2 GiB. */
const READ_PIECE = 1 << 28;

/** A whole file in one Buffer of its own (not from the pool, so typed-array views are aligned). */
export function readWholeFile(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.allocUnsafeSlow(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, buffer, done, Math.min(READ_PIECE, size - done), done);
      if (n === 0) throw sltdError('SLTD_STORE_CORRUPT', `${file} shrank while being read.`);
      done += n;
    }
    return buffer;
  } finally {
    closeSync(fd);
  }
}

/** Buffered sequential writes to a file descriptor. */
export class FileAppender {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private used = 0;
  written = 0;

  constructor(readonly file: string, bufferBytes = 1 << 20, flags = 'w') {
    this.fd = openSync(file, flags);
    this.buffer = Buffer.allocUnsafe(bufferBytes);
  }

  /** Room for `bytes` more bytes, flushing first if needed; returns the offset to write at. */
  reserve(bytes: number): number {
    if (this.used + bytes > this.buffer.length) this.flush();
    const at = this.used;
    this.used += bytes;
    this.written += bytes;
    return at;
  }

  get bytes(): Buffer {
    return this.buffer;
  }

  writeBuffer(data: Uint8Array): void {
    if (data.length > this.buffer.length) {
      this.flush();
      writeSync(this.fd, data);
      this.written += data.length;
      return;
    }
    const at = this.reserve(data.length);
    this.buffer.set(data, at);
  }

  flush(): void {
    let done = 0;
    while (done < this.used) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
  }

  writeAt(data: Uint8Array, position: number): void {
    writeSync(this.fd, data, 0, data.length, position);
  }

  close(sync = true): void {
    this.flush();
    if (sync) fsyncSync(this.fd);
    closeSync(this.fd);
  }

  abandon(): void {
    try {
      closeSync(this.fd);
    } catch {
      // Already closed.
    }
  }
}

// ---- keys.bin ------------------------------------------------------------------------------------------

/** Compare two records' sort keys: bucket, then the stored hash bits, then the document type. */
export function compareKeys(bucketA: number, w0A: number, w1A: number, bucketB: number, w0B: number, w1B: number): number {
  if (bucketA !== bucketB) return bucketA - bucketB;
  const hA = word1HashBits(w1A);
  const hB = word1HashBits(w1B);
  if (hA !== hB) return hA - hB;
  if (w0A !== w0B) return w0A - w0B;
  return word1Type(w1A) - word1Type(w1B);
}

/** Writes keys.bin: records must arrive in sort order; the directory is filled in at the end. */
export class KeyTableWriter {
  private readonly out: FileAppender;
  private readonly bucketSizes = new Uint32Array(BUCKET_COUNT);
  private lastBucket = 0;
  count = 0;

  constructor(file: string) {
    this.out = new FileAppender(file, 1 << 20);
    this.out.writeBuffer(new Uint8Array(RECORDS_OFFSET));
  }

  append(bucket: number, w0: number, w1: number, w2: number): void {
    if (bucket < this.lastBucket) throw new Error(`KeyTableWriter: bucket ${bucket} after ${this.lastBucket}: records out of order`);
    this.lastBucket = bucket;
    this.bucketSizes[bucket]!++;
    const at = this.out.reserve(RECORD_BYTES);
    const bytes = this.out.bytes;
    bytes.writeUInt32LE(w0 >>> 0, at);
    bytes.writeUInt32LE(w1 >>> 0, at + 4);
    bytes.writeUInt32LE(w2 >>> 0, at + 8);
    this.count++;
  }

  finish(): number {
    this.out.flush();
    const head = Buffer.alloc(RECORDS_OFFSET);
    head.write(KEYS_MAGIC, 0, 'latin1');
    head.writeUInt32LE(KEYS_VERSION, 8);
    head.writeUInt32LE(BUCKET_BITS, 12);
    head.writeUInt32LE(this.count >>> 0, 16);
    head.writeUInt32LE(Math.floor(this.count / 2 ** 32), 20);
    let start = 0;
    for (let b = 0; b < BUCKET_COUNT; b++) {
      head.writeUInt32LE(start, KEYS_HEADER_BYTES + b * 4);
      start += this.bucketSizes[b]!;
    }
    head.writeUInt32LE(start, KEYS_HEADER_BYTES + BUCKET_COUNT * 4);
    this.out.writeAt(head, 0);
    this.out.close();
    return RECORDS_OFFSET + this.count * RECORD_BYTES;
  }

  abandon(): void {
    this.out.abandon();
  }
}

/** keys.bin in memory: the directory and the record words, as typed-array views of one Buffer. */
export class KeyTable {
  private constructor(
    readonly count: number,
    readonly directory: Uint32Array,
    readonly words: Uint32Array,
    readonly bytes: number,
  ) {}

  static empty(): KeyTable {
    return new KeyTable(0, new Uint32Array(BUCKET_COUNT + 1), new Uint32Array(0), 0);
  }

  static load(file: string): KeyTable {
    const buffer = readWholeFile(file);
    const corrupt = (why: string): never => {
      throw sltdError('SLTD_STORE_CORRUPT', `${file}: ${why}.`, 'Import a fresh snapshot; the damaged copy is replaced.');
    };
    if (buffer.length < RECORDS_OFFSET || buffer.toString('latin1', 0, 8) !== KEYS_MAGIC) corrupt('not an SLTD key table');
    if (buffer.readUInt32LE(8) !== KEYS_VERSION || buffer.readUInt32LE(12) !== BUCKET_BITS) corrupt(`version ${buffer.readUInt32LE(8)} is not supported`);
    const count = buffer.readUInt32LE(16) + buffer.readUInt32LE(20) * 2 ** 32;
    if (buffer.length !== RECORDS_OFFSET + count * RECORD_BYTES) corrupt(`size ${buffer.length} does not match ${count} records`);
    const directory = new Uint32Array(buffer.buffer, buffer.byteOffset + KEYS_HEADER_BYTES, BUCKET_COUNT + 1);
    if (directory[BUCKET_COUNT] !== count || directory[0] !== 0) corrupt('the bucket directory does not add up');
    const words = new Uint32Array(buffer.buffer, buffer.byteOffset + RECORDS_OFFSET, count * RECORD_WORDS);
    return new KeyTable(count, directory, words, buffer.length);
  }

  /** Index of the first record with this hash (any type), or -1; records with the same hash follow it. */
  findFirst(bucket: number, hashBits: number, low: number): number {
    const words = this.words;
    let lo = this.directory[bucket]!;
    let hi = this.directory[bucket + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const w1Bits = words[mid * 3 + 1]! & 0x7fff;
      if (w1Bits < hashBits || (w1Bits === hashBits && words[mid * 3]! < low)) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.directory[bucket + 1]! && (words[lo * 3 + 1]! & 0x7fff) === hashBits && words[lo * 3] === low) return lo;
    return -1;
  }

  /** True when record `index` (inside `bucket`) has this hash. */
  sameHash(index: number, bucket: number, hashBits: number, low: number): boolean {
    return index < this.directory[bucket + 1]! && (this.words[index * 3 + 1]! & 0x7fff) === hashBits && this.words[index * 3] === low;
  }
}

// ---- sorting -------------------------------------------------------------------------------------------

/** Words per entry while sorting: bucket, word0, word1, word2. */
export const SORT_STRIDE = 4;

/** LSD digits, least significant first, as (word, shift, bits): type, word0, hash bits of word1, bucket. */
const SORT_DIGITS: ReadonlyArray<readonly [number, number, number]> = [
  [2, 18, 10], [1, 0, 8], [1, 8, 8], [1, 16, 8], [1, 24, 7], [2, 0, 8], [2, 8, 7], [0, 0, 8], [0, 8, 8],
];

/**
 * Sort `n` entries of `data` (SORT_STRIDE words each: bucket, word0, word1, word2) by bucket, hash bits,
 * word0 and type, in place, with a stable LSD radix sort that moves the entries themselves (sequential
 * reads, so it stays fast when the data outgrows the caches). Returns each sorted entry's original
 * position: equal keys keep their input order, so the last of them is the one read last.
 */
export function sortEntries(data: Uint32Array, n: number): Uint32Array {
  let fromData: Uint32Array = data;
  let toData: Uint32Array = new Uint32Array(n * SORT_STRIDE);
  let fromOrdinal = new Uint32Array(n);
  let toOrdinal = new Uint32Array(n);
  for (let i = 0; i < n; i++) fromOrdinal[i] = i;
  const counts = new Uint32Array(1 << 10);
  for (const [word, shift, bits] of SORT_DIGITS) {
    const mask = (1 << bits) - 1;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(fromData[i * SORT_STRIDE + word]! >>> shift) & mask]!++;
    // A digit every entry shares leaves the order as it is: skip the pass (common for the type).
    if (counts.some((c) => c === n)) continue;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const from = i * SORT_STRIDE;
      const to = counts[(fromData[from + word]! >>> shift) & mask]!++;
      const at = to * SORT_STRIDE;
      toData[at] = fromData[from]!;
      toData[at + 1] = fromData[from + 1]!;
      toData[at + 2] = fromData[from + 2]!;
      toData[at + 3] = fromData[from + 3]!;
      toOrdinal[to] = fromOrdinal[i]!;
    }
    [fromData, toData] = [toData, fromData];
    [fromOrdinal, toOrdinal] = [toOrdinal, fromOrdinal];
  }
  if (fromData !== data) data.set(fromData.subarray(0, n * SORT_STRIDE));
  return fromOrdinal;
}

// ---- refs.bin -------------------------------------------------------------------------------------------

/** Writes refs.bin: the reference texts, then their record indexes and offsets, then a footer. */
export class RefsWriter {
  private readonly out: FileAppender;
  private indexes = new Uint32Array(1024);
  private offsets = new Uint32Array(1025);
  count = 0;

  constructor(file: string) {
    this.out = new FileAppender(file, 1 << 18);
  }

  add(recordIndex: number, reference: string): void {
    if (this.count + 1 >= this.indexes.length) {
      const grownIndexes = new Uint32Array(this.indexes.length * 2);
      grownIndexes.set(this.indexes);
      this.indexes = grownIndexes;
      const grownOffsets = new Uint32Array(this.offsets.length * 2);
      grownOffsets.set(this.offsets);
      this.offsets = grownOffsets;
    }
    this.indexes[this.count] = recordIndex;
    this.out.writeBuffer(Buffer.from(reference, 'utf8'));
    this.count++;
    this.offsets[this.count] = this.out.written;
  }

  finish(): number {
    const blobBytes = this.out.written;
    this.out.writeBuffer(new Uint8Array(this.indexes.buffer, 0, this.count * 4));
    this.out.writeBuffer(new Uint8Array(this.offsets.buffer, 0, (this.count + 1) * 4));
    const footer = Buffer.alloc(REFS_FOOTER_BYTES);
    footer.write(REFS_MAGIC, 0, 'latin1');
    footer.writeUInt32LE(this.count, 8);
    footer.writeUInt32LE(blobBytes, 12);
    this.out.writeBuffer(footer);
    const total = this.out.written;
    this.out.close();
    return total;
  }

  abandon(): void {
    this.out.abandon();
  }
}

export class RefsTable {
  private constructor(
    private readonly blob: Buffer,
    private readonly indexes: Uint32Array,
    private readonly offsets: Uint32Array,
    readonly bytes: number,
  ) {}

  static empty(): RefsTable {
    return new RefsTable(Buffer.alloc(0), new Uint32Array(0), new Uint32Array(1), 0);
  }

  static load(file: string): RefsTable {
    const buffer = readWholeFile(file);
    const corrupt = (why: string): never => {
      throw sltdError('SLTD_STORE_CORRUPT', `${file}: ${why}.`, 'Import a fresh snapshot; the damaged copy is replaced.');
    };
    if (buffer.length < REFS_FOOTER_BYTES) corrupt('too short');
    const footerAt = buffer.length - REFS_FOOTER_BYTES;
    if (buffer.toString('latin1', footerAt, footerAt + 8) !== REFS_MAGIC) corrupt('not an SLTD reference table');
    const count = buffer.readUInt32LE(footerAt + 8);
    const blobBytes = buffer.readUInt32LE(footerAt + 12);
    if (buffer.length !== blobBytes + count * 4 + (count + 1) * 4 + REFS_FOOTER_BYTES) corrupt('its size does not match its footer');
    // Copied out: after a blob of any length the arrays may not be 4-byte aligned.
    const indexes = new Uint32Array(count);
    const offsets = new Uint32Array(count + 1);
    Buffer.from(indexes.buffer).set(buffer.subarray(blobBytes, blobBytes + count * 4));
    Buffer.from(offsets.buffer).set(buffer.subarray(blobBytes + count * 4, blobBytes + count * 8 + 4));
    return new RefsTable(buffer.subarray(0, blobBytes), indexes, offsets, buffer.length);
  }

  get count(): number {
    return this.indexes.length;
  }

  get(recordIndex: number): string | undefined {
    let lo = 0;
    let hi = this.indexes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.indexes[mid]! < recordIndex) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= this.indexes.length || this.indexes[lo] !== recordIndex) return undefined;
    return this.blob.toString('utf8', this.offsets[lo]!, this.offsets[lo + 1]!);
  }
}
