import type { PosNode } from './locate.js';
import { SourceFile } from './source-file.js';
import { parseYaml, type YamlDocument } from './yaml.js';

/**
 * YAML written inside a string of another file (kind's `kubeadmConfigPatches`, a manifest in a
 * `contents: |` block). Its text is the decoded string; positions map back to the host file, so
 * findings, spans and one-line fixes work as if the documents were the file's own.
 */
export class EmbeddedFile extends SourceFile {
  constructor(
    readonly host: SourceFile,
    text: string,
    /** Host offset of each line start of `text` (exact mapping), or one offset for all (fallback). */
    private readonly lineOffsets: number[] | number,
  ) {
    super(host.path, text);
  }

  override position(offset: number): { line: number; column: number } {
    if (typeof this.lineOffsets === 'number') return this.host.position(this.lineOffsets);
    const own = super.position(offset);
    const start = this.lineOffsets[own.line - 1] ?? this.lineOffsets[this.lineOffsets.length - 1]!;
    return this.host.position(start + own.column - 1);
  }

  override line(line: number): string {
    return this.host.line(line);
  }
}

/**
 * Parses the YAML in a scalar of `doc`. A literal block (`|`) maps line by line to the host
 * (each line is the host line without the block's indentation); any other style maps every
 * position to the scalar's first line, which is still the right place to look.
 */
export function parseEmbedded(doc: YamlDocument, node: PosNode, value: string): YamlDocument[] {
  const host = doc.file;
  let offsets: number[] | number = node.start;
  if (node.kind === 'scalar' && node.style === 4) {
    const raw = host.text.slice(node.start, node.end);
    const rawLines = raw.split('\n');
    const indent = Math.min(...rawLines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    const decoded = rawLines.map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)));
    if (value.startsWith(decoded.join('\n').replace(/\n+$/, ''))) {
      offsets = [];
      let at = node.start;
      for (const l of rawLines) {
        offsets.push(at + Math.min(indent, l.length - l.trimStart().length));
        at += l.length + 1;
      }
    }
  }
  return parseYaml(new EmbeddedFile(host, value, offsets)).documents;
}
