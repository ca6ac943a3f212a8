/**
 * TREC SGML: documents (`<DOC><DOCNO> id </DOCNO> … <TEXT> … </TEXT></DOC>`) and topics (`<top><num>
 * … <title> …</top>`, or `<DOC><DOCNO> n </DOCNO> text </DOC>` as CACM's). Records are read by a
 * streaming block scanner that never merges two records silently: a `<DOC>` opening inside another
 * (a missing `</DOC>`), an unclosed last record, a stray closing tag, text outside any record and two
 * `<DOCNO>`s in one record are each reported with file:line.
 */
import { readLines } from '../io/lines';
import type { Collection, Loaded, Passage, Query, QuerySet } from './types';
import { IdTracker, LoadReporter, acceptText, fileStem, type ReadOptions } from './validate';

/** One `<TAG> … </TAG>` block: its tag as written, the line it opens on, and its inner text. */
export interface SgmlBlock {
  readonly tag: string;
  readonly line: number;
  readonly body: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Removes markup and decodes the five XML entities. */
export function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e]);
}

/**
 * Streams the top-level blocks whose tag is one of `tags` (case-insensitive). Problems go to the
 * reporter: a block left open when the next one opens, or at end of file, is kept and flagged.
 */
export async function* sgmlBlocks(path: string, tags: readonly string[], reporter: LoadReporter): AsyncGenerator<SgmlBlock> {
  const token = new RegExp(`<(/?)(${tags.join('|')})>`, 'gi');
  let open: { tag: string; line: number; parts: string[] } | undefined;
  const close = (): SgmlBlock => {
    const b = { tag: open!.tag, line: open!.line, body: open!.parts.join('') };
    open = undefined;
    return b;
  };
  for await (const { line, text } of readLines(path)) {
    let pos = 0;
    let strayText = false;
    const take = (segment: string): void => {
      if (open) open.parts.push(segment);
      else if (segment.trim() !== '') strayText = true;
    };
    token.lastIndex = 0;
    for (let m = token.exec(text); m !== null; m = token.exec(text)) {
      take(text.slice(pos, m.index));
      pos = m.index + m[0].length;
      const closing = m[1] === '/';
      const tag = m[2];
      if (!closing) {
        if (open) {
          reporter.warn(`<${open.tag}> has no </${open.tag}> before the <${tag}> at line ${line} (missing close tag: kept as two records, check where one ends)`, open.line);
          yield close();
        }
        open = { tag, line, parts: [] };
      } else if (open && open.tag.toLowerCase() === tag.toLowerCase()) {
        yield close();
      } else {
        reporter.skip(line, `</${tag}> without an opening <${tag}>`);
      }
    }
    take(text.slice(pos) + '\n');
    if (strayText) reporter.skip(line, `text outside any <${tags.join('> or <')}> record`);
  }
  if (open) {
    reporter.warn(`<${open.tag}> is not closed at the end of the file (truncated file? the record is kept as read)`, open.line);
    yield close();
  }
}

/** The inner texts of every `<tag>…</tag>` element in `body` (case-insensitive). */
function elements(body: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'gi');
  for (let m = re.exec(body); m !== null; m = re.exec(body)) out.push(m[1]);
  return out;
}

function clean(s: string): string {
  return stripTags(s).replace(/\s+/g, ' ').trim();
}

/**
 * Reads TREC SGML documents: id from `<DOCNO>`, title from `<TITLE>` / `<HEADLINE>` / `<HEAD>`,
 * text from the `<TEXT>` elements when present, else everything but `<DOCNO>` and `<DOCHDR>`.
 */
export async function readTrecSgmlDocuments(path: string, opts: ReadOptions = {}): Promise<Loaded<Collection>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const passages = new Map<string, Passage>();
  for await (const block of sgmlBlocks(path, ['DOC'], reporter)) {
    const docnos = elements(block.body, 'DOCNO');
    if (docnos.length === 0 || clean(docnos[0]) === '') {
      reporter.skip(block.line, '<DOC> without a <DOCNO>');
      continue;
    }
    if (docnos.length > 1) reporter.warn(`one <DOC> holds ${docnos.length} <DOCNO>s (${docnos.map(clean).join(', ')}): documents merged? kept as the first`, block.line);
    const id = clean(docnos[0]);
    const rest = block.body.replace(/<DOCNO>[\s\S]*?<\/DOCNO>/gi, '').replace(/<DOCHDR>[\s\S]*?<\/DOCHDR>/gi, '');
    const titleParts = [...elements(rest, 'TITLE'), ...elements(rest, 'HEADLINE'), ...elements(rest, 'HEAD')];
    const title = clean(titleParts.join(' '));
    const texts = elements(rest, 'TEXT');
    const text = texts.length > 0 ? clean(texts.join(' ')) : clean(rest.replace(/<(TITLE|HEADLINE|HEAD)>[\s\S]*?<\/\1>/gi, ''));
    // A document with only a title is searchable by its title, as SMART records without .W are.
    const body = text !== '' ? text : title;
    if (!acceptText(reporter, block.line, body, `text of document ${id}`)) continue;
    const dup = ids.check(id, block.line);
    if (dup) {
      reporter.skip(block.line, dup);
      continue;
    }
    passages.set(id, title !== '' ? { id, title, text: body } : { id, text: body });
  }
  const report = reporter.finish(passages.size);
  return { value: { name: opts.name ?? fileStem(path), passages }, report };
}

/** Reads TREC SGML topics of the `<DOC><DOCNO> n </DOCNO> text </DOC>` or `<top><num> … <title>` kind. */
export async function readTrecTopics(path: string, opts: ReadOptions = {}): Promise<Loaded<QuerySet>> {
  const reporter = new LoadReporter(path, opts.strict);
  const ids = new IdTracker();
  const queries = new Map<string, Query>();
  for await (const { line, body } of sgmlBlocks(path, ['DOC', 'top'], reporter)) {
    const num = /<(?:DOCNO|num)>\s*(?:Number:)?\s*([^<\s]+)\s*(?:<\/(?:DOCNO|num)>)?/i.exec(body);
    if (!num) {
      reporter.skip(line, 'topic without <DOCNO> or <num>');
      continue;
    }
    const id = num[1];
    const title = /<title>([\s\S]*?)(?:<\/title>|<desc>|<narr>|$)/i.exec(body);
    const rest = title ? title[1] : body.slice(num.index + num[0].length);
    const text = clean(rest.replace(/^\s*Topic:/i, ''));
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
