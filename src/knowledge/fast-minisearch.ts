import MiniSearch, { type Options } from 'minisearch';

interface PostingStore {
  /** Document (short) ids of all posting lists, each list ascending. */
  docIds: Int32Array;
  /** Term frequency beside each document id. */
  freq: Uint16Array;
}

/**
 * One posting list (document → term frequency) as a read-only Map look-alike over a slice of
 * the flat arrays: 6 bytes per posting instead of a Map entry (≈ 40 bytes). MiniSearch's search
 * iterates keys() and calls get() for each key in that order, so get() first checks the position
 * after the previous one and falls back to binary search.
 */
class PostingList {
  private cursor: number;

  constructor(
    private readonly store: PostingStore,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.cursor = start;
  }

  get size(): number {
    return this.end - this.start;
  }

  keys(): IterableIterator<number> {
    this.cursor = this.start;
    return this.store.docIds.subarray(this.start, this.end).values();
  }

  [Symbol.iterator](): IterableIterator<[number, number]> {
    return this.entries();
  }

  *entries(): IterableIterator<[number, number]> {
    for (let i = this.start; i < this.end; i++) yield [this.store.docIds[i], this.store.freq[i]];
  }

  get(docId: number): number | undefined {
    const i = this.indexOf(docId);
    if (i < 0) return undefined;
    this.cursor = i + 1;
    return this.store.freq[i];
  }

  has(docId: number): boolean {
    return this.indexOf(docId) >= 0;
  }

  set(): never {
    throw new Error('bulk-loaded MiniSearch index is read-only');
  }

  delete(): never {
    throw new Error('bulk-loaded MiniSearch index is read-only');
  }

  private indexOf(docId: number): number {
    const ids = this.store.docIds;
    if (this.cursor < this.end && ids[this.cursor] === docId) return this.cursor;
    let lo = this.start;
    let hi = this.end - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = ids[mid];
      if (v === docId) return mid;
      if (v < docId) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** The documents for bulkLoad(): how many, each one's id, and its term ids per field (in the order of the fields). */
export interface AnalysedDocuments {
  count: number;
  id(doc: number): unknown;
  terms(doc: number, field: number): Int32Array;
}

/**
 * Stock MiniSearch (same options, BM25 scoring and search API) with a bulk loader for a fresh
 * index of documents that are already analysed.
 *
 * MiniSearch.add() costs five Map operations, a radix-tree walk and a Set per field for every
 * token; at 10,000 articles (3.3 million postings) that alone took more than 2 s. bulkLoad()
 * fills the same structures MiniSearch keeps for its subclasses (the protected `_index`,
 * `_documentIds`, `_idToShortId`, `_fieldLength`, `_avgFieldLength`, `_documentCount`,
 * `_nextId`): postings are collected in flat typed arrays and each posting list is a read-only
 * view on them (see PostingList); the term tree gets one insert per distinct term. Term
 * frequencies and field lengths (distinct terms per field) are counted exactly as add() does.
 * After bulkLoad() the index is read-only (add/remove would throw).
 * test/knowledge/fast-minisearch.test.ts checks that searches give the same results and scores
 * as documents added one by one with add().
 */
export class FastMiniSearch<T> extends MiniSearch<T> {
  constructor(private readonly fieldNames: readonly string[], options: Omit<Options<T>, 'fields'>) {
    super({ ...options, fields: [...fieldNames] } as Options<T>);
  }

  /** Loads all documents into the empty index; term ids index `terms`. */
  bulkLoad(terms: readonly string[], documents: AnalysedDocuments): void {
    if (this._documentCount > 0) throw new Error('bulkLoad needs an empty index');
    const nFields = this.fieldNames.length;
    const slots = terms.length * nFields; // one posting list per (term, field)
    // Pass 1: postings per list (first occurrence of a term in a document's field) and field lengths.
    const count = new Int32Array(slots + 1);
    const lastDoc = new Int32Array(slots).fill(-1);
    const lengthSum = new Array<number>(nFields).fill(0);
    const n = documents.count;
    for (let shortId = 0; shortId < n; shortId++) {
      const id = documents.id(shortId);
      this._documentIds.set(shortId, id);
      this._idToShortId.set(id, shortId);
      const lengths = new Array<number>(nFields).fill(0);
      for (let f = 0; f < nFields; f++) {
        for (const t of documents.terms(shortId, f)) {
          const slot = t * nFields + f;
          if (lastDoc[slot] === shortId) continue;
          lastDoc[slot] = shortId;
          count[slot]++;
          lengths[f]++;
        }
        lengthSum[f] += lengths[f];
      }
      this._fieldLength.set(shortId, lengths);
    }
    // Pass 2: documents and term frequencies of every list, stored contiguously.
    const start = new Int32Array(slots + 1);
    for (let i = 0; i < slots; i++) start[i + 1] = start[i] + count[i];
    const next = start.slice(0, slots);
    const docIds = new Int32Array(start[slots]);
    // A term occurs far fewer than 65,535 times in one field of one passage.
    const freq = new Uint16Array(start[slots]);
    lastDoc.fill(-1);
    for (let shortId = 0; shortId < n; shortId++) {
      for (let f = 0; f < nFields; f++) {
        for (const t of documents.terms(shortId, f)) {
          const slot = t * nFields + f;
          if (lastDoc[slot] === shortId) {
            freq[next[slot] - 1]++;
          } else {
            lastDoc[slot] = shortId;
            docIds[next[slot]] = shortId;
            freq[next[slot]++] = 1;
          }
        }
      }
    }
    // Pass 3: MiniSearch's term tree; each posting list is a read-only view on the flat arrays.
    const store: PostingStore = { docIds, freq };
    for (let t = 0; t < terms.length; t++) {
      const data = new Map<number, PostingList>();
      for (let f = 0; f < nFields; f++) {
        const slot = t * nFields + f;
        if (start[slot] < start[slot + 1]) data.set(f, new PostingList(store, start[slot], start[slot + 1]));
      }
      // MiniSearch reads a posting list through size, keys(), get() and has() only (search path).
      if (data.size > 0) this._index.set(terms[t], data as unknown as Map<number, Map<number, number>>);
    }
    this._documentCount = n;
    this._nextId = n;
    this._avgFieldLength = lengthSum.map((sum) => (n > 0 ? sum / n : 0));
  }

  /** Whether the document with this id contains the (already analysed) term in any field. */
  documentHasTerm(term: string, id: unknown): boolean {
    const shortId = this._idToShortId.get(id);
    const data = this._index.get(term);
    if (shortId === undefined || !data) return false;
    for (const docs of data.values()) if (docs.has(shortId)) return true;
    return false;
  }
}
