/**
 * CACM as distributed with Anserini: `cacm.tar.gz` of `CACM-nnnn.html` files (a `<pre>` block:
 * title, abstract when present, then "CACM Month, Year", authors, a record code and citation
 * triples); its topics are TREC SGML (`readTrecTopics` in sgml.ts).
 * A document's text is its title and abstract; the bibliographic tail is dropped as it is not prose.
 */
import type { Collection, Loaded, Passage } from './types';
import { stripTags } from './sgml';
import { readTarFile } from './tar';
import { IdTracker, LoadReporter, acceptText, fileStem, type ReadOptions } from './validate';

const STRAY_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Splits one CACM record into title and text (title + abstract). */
export function parseCacmHtml(html: string): { title: string; text: string } {
  const paragraphs = stripTags(html).split(/\n\s*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');
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
