/**
 * CACM as distributed with Anserini: `cacm.tar.gz` of `CACM-nnnn.html` files (a `<pre>` block:
 * title, abstract when present, then "CACM Month, Year", authors, a record code and citation
 * triples) and TREC-format topics (`<DOC><DOCNO> n </DOCNO> text </DOC>`).
 * A document's text is its title and abstract; the bibliographic tail is dropped as it is not prose.
 */
import { readFile } from 'node:fs/promises';
import type { Collection, Loaded, Passage, Query, QuerySet } from './types';
import { readTarFile } from './tar';
import { IdTracker, LoadReporter, acceptText, fileStem, type ReadOptions } from './validate';

const STRAY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function stripHtml(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e]);
}

/** Splits one CACM record into title and text (title + abstract). */
export function parseCacmHtml(html: string): { title: string; text: string } {
  const paragraphs = stripHtml(html).split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
  const end = paragraphs.findIndex((p) => /^CACM [A-Z][a-z]+, \d{4}$/.test(p));
  const body = end < 0 ? paragraphs : paragraphs.slice(0, end);
  return { title: body[0] ?? '', text: body.join(' ') };
}

/** Reads the CACM documents from Anserini's `cacm.tar.gz` (ids = file names without `.html`). */
export async function readCacmDocuments(path: string, opts: ReadOptions = {}): Promise<Loaded<Collection>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const passages = new Map<string, Passage>();
  const entries = await readTarFile(path);
  const cleaned: string[] = [];
  entries.forEach((e, i) => {
    // Entry numbers stand in for line numbers in this archive's reports.
    const entry = i + 1;
    const m = /(?:^|\/)([^/]+)\.html?$/.exec(e.name);
    if (!m) {
      reporter.skip(entry, `not an HTML record: ${e.name}`);
      return;
    }
    // Anserini's qrels write CACM-46 for the file CACM-0046.html.
    const id = m[1].replace(/^CACM-0+(?=\d)/, 'CACM-');
    let html = e.data.toString('utf8');
    if (STRAY_CONTROL.test(html)) {
      // Two records carry a stray U+0019 from the original transcription: removed, counted, not skipped.
      html = html.replace(new RegExp(STRAY_CONTROL.source, 'g'), '');
      cleaned.push(e.name);
    }
    const { title, text } = parseCacmHtml(html);
    if (!acceptText(reporter, entry, text, `text of ${e.name}`)) return;
    const dup = ids.check(id, entry);
    if (dup) {
      reporter.skip(entry, dup);
      return;
    }
    passages.set(id, title ? { id, title, text } : { id, text });
  });
  if (cleaned.length > 0) reporter.warn(`control characters removed from ${cleaned.length} record(s): ${cleaned.slice(0, 5).join(', ')}`);
  const report = reporter.finish(passages.size);
  return { value: { name: opts.name ?? fileStem(path), passages }, report };
}

/** Reads TREC SGML topics of the `<DOC><DOCNO> n </DOCNO> text </DOC>` or `<top><num> … <title>` kind. */
export async function readTrecTopics(path: string, opts: ReadOptions = {}): Promise<Loaded<QuerySet>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const queries = new Map<string, Query>();
  const src = await readFile(path, 'utf8');
  const lineAt = (offset: number): number => src.slice(0, offset).split('\n').length;
  const block = /<(DOC|top)>([\s\S]*?)<\/\1>/g;
  for (let m = block.exec(src); m !== null; m = block.exec(src)) {
    const line = lineAt(m.index);
    const body = m[2];
    const num = /<(?:DOCNO|num)>\s*(?:Number:)?\s*([^<\s]+)\s*(?:<\/(?:DOCNO|num)>)?/.exec(body);
    if (!num) {
      reporter.skip(line, 'topic without <DOCNO> or <num>');
      continue;
    }
    const id = num[1];
    const title = /<title>([\s\S]*?)(?:<\/title>|<desc>|<narr>|$)/.exec(body);
    const rest = title ? title[1] : body.slice(num.index + num[0].length);
    const text = stripHtml(rest).replace(/\s+/g, ' ').trim();
    if (!acceptText(reporter, line, text, 'topic text')) continue;
    const dup = ids.check(id, line);
    if (dup) {
      reporter.skip(line, dup);
      continue;
    }
    queries.set(id, { id, text });
  }
  const report = reporter.finish(queries.size);
  return { value: { name: opts.name ?? fileStem(path), queries }, report };
}
