/**
 * A minimal reader for (gzipped) tar archives: regular files only, ustar prefixes and GNU long
 * names supported. Enough for small bundled collections such as CACM's 3,204 HTML files.
 */
import { readDataFile } from './fileInput';

/** One regular file in an archive. */
export interface TarEntry {
  readonly name: string;
  readonly data: Buffer;
}

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul < 0 ? raw.length : nul).toString('utf8');
}

/** Lists the regular files of a tar archive held in memory; throws on a truncated archive. */
export function parseTar(archive: Buffer, label = 'archive'): TarEntry[] {
  const out: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(field(header, 124, 12).trim() || '0', 8);
    if (!Number.isFinite(size)) throw new Error(`${label}: bad tar header at byte ${offset}`);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = field(header, 257, 6).startsWith('ustar') ? field(header, 345, 155) : '';
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const start = offset + 512;
    if (start + size > archive.length) throw new Error(`${label}: truncated tar entry ${name}`);
    const data = archive.subarray(start, start + size);
    longName = undefined;
    if (type === 'L') longName = field(data, 0, data.length);
    else if (type === '0' || type === '\0') out.push({ name, data: Buffer.from(data) });
    offset = start + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** Reads a `.tar` or `.tar.gz` / `.tgz` file into its regular files. */
export async function readTarFile(path: string): Promise<TarEntry[]> {
  return parseTar(await readDataFile(path), path);
}
