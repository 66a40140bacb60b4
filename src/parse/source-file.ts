/**
 * A file of the tree under check, as text, with the offset → line/column mapping that every finding
 * needs. Offsets are JavaScript string (UTF-16) offsets, which is also SARIF's default column unit.
 */
export class SourceFile {
  #lineStarts: number[] | undefined;

  constructor(
    /** Path relative to the root, with forward slashes. */
    readonly path: string,
    readonly text: string,
  ) {}

  /** 1-based line and column of a 0-based offset. Offsets past the end clamp to the last position. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts();
    const at = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - starts[lo]! + 1 };
  }

  /** The text of a 1-based line without its line break. */
  line(line: number): string {
    const starts = this.lineStarts();
    const start = starts[line - 1];
    if (start === undefined) return '';
    const next = starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text[end - 1] === '\r') end--;
    return this.text.slice(start, Math.max(start, end));
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  private lineStarts(): number[] {
    if (!this.#lineStarts) {
      const starts = [0];
      const text = this.text;
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.#lineStarts = starts;
    }
    return this.#lineStarts;
  }
}

/** A range in a file: 0-based, end-exclusive offsets. */
export interface Span {
  file: SourceFile;
  start: number;
  end: number;
}
