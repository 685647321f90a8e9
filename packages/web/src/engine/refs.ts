/**
 * Reference strings for the replacement lab: page numbers (decimal or 0x-hex) separated
 * by whitespace or commas, `#` to the end of a line is a comment. Read in chunks so a
 * dropped file streams through the worker without being held as one string.
 */

/** A reference string read so far, or the first mistake with its place. */
export type RefsRead =
  | { readonly kind: "refs"; readonly refs: Int32Array }
  | { readonly kind: "error"; readonly message: string };

const MAX_PAGE = 0x7fffffff;

/** Accumulates page numbers from text chunks; a token may be split across chunks. */
export class RefsReader {
  private pages = new Int32Array(1024);
  private count = 0;
  private carry = "";
  private line = 1;
  private error: string | null = null;

  constructor(private readonly source: string) {}

  /** How many page numbers have been read. */
  get length(): number {
    return this.count;
  }

  /** Feeds the next piece of text; false once an error has been found. */
  push(chunk: string): boolean {
    if (this.error) return false;
    const text = this.carry + chunk;
    const end = text.lastIndexOf("\n");
    if (end < 0) {
      this.carry = text;
      return true;
    }
    this.carry = text.slice(end + 1);
    this.readLines(text.slice(0, end));
    return this.error === null;
  }

  /** Ends the input and returns everything read, or the first error. */
  finish(): RefsRead {
    if (!this.error && this.carry !== "") this.readLines(this.carry);
    this.carry = "";
    if (this.error) return { kind: "error", message: this.error };
    return { kind: "refs", refs: this.pages.slice(0, this.count) };
  }

  private readLines(text: string): void {
    for (const line of text.split("\n")) {
      if (this.error) return;
      this.readLine(line);
      this.line++;
    }
  }

  private readLine(line: string): void {
    const body = line.replace(/#.*/, "");
    const token = /[^\s,]+/g;
    for (let m = token.exec(body); m; m = token.exec(body)) {
      const word = m[0];
      const value = /^(0x[0-9a-f]+|\d+)$/i.test(word) ? Number(word) : Number.NaN;
      if (!Number.isSafeInteger(value) || value > MAX_PAGE) {
        this.error = `${this.source}:${this.line}:${m.index + 1}: expected a page number, found "${word.slice(0, 20)}"`;
        return;
      }
      this.add(value);
    }
  }

  private add(page: number): void {
    if (this.count === this.pages.length) {
      const bigger = new Int32Array(this.pages.length * 2);
      bigger.set(this.pages);
      this.pages = bigger;
    }
    this.pages[this.count++] = page;
  }
}

/** Reads a whole reference string typed into the page. */
export function readRefs(text: string, source = "references"): RefsRead {
  const reader = new RefsReader(source);
  reader.push(text);
  return reader.finish();
}
