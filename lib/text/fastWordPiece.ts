/**
 * BERT WordPiece tokenisation in plain JS, equal id for id to transformers.js (what
 * WordPieceTokenizer otherwise calls), for the tokenizer.json layouts where that holds:
 * BertNormalizer (clean_text on), BertPreTokenizer, a WordPiece model and the [CLS] $A [SEP]
 * template. transformers.js takes ~0.4 ms a 128-piece passage (a training step of the default
 * student tokenised 36 texts, ~15 ms, a tenth of the step), most of it in its WordPiece loop,
 * which joins a character array for every candidate piece, and in its normaliser, which tests a
 * regular expression per character. Here ASCII text is normalised and split in one scan; other
 * text gets the same normaliser as whole-string replacements and the same pre-tokenising
 * expression; then the same greedy WordPiece. Both stop once `maxLength` pieces are out. A special
 * token's text inside the input, or another layout, returns undefined and goes to transformers.js.
 */

type Json = Record<string, unknown>;

/** ASCII punctuation for BertPreTokenizer: \p{P} and the symbol ranges !-/ :-@ [-` {-~ (all of them non-alphanumeric printable ASCII). */
const PUNCT = new Uint8Array(128);
for (const [lo, hi] of [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]]) for (let c = lo; c <= hi; c++) PUNCT[c] = 1;

/** Characters of a long non-ASCII text read per piece wanted before trying the whole text (a 128-piece DL19 passage spans ~600). */
const PREFIX_CHARS_PER_PIECE = 6;

/** What BertNormalizer's clean_text does to an ASCII code: 0 drop (controls other than \t \n \r, DEL), 1 space (\t \n \r and space), 2 keep. */
const CLEAN = new Uint8Array(128).fill(2);
for (let c = 0; c < 32; c++) CLEAN[c] = 0;
CLEAN[127] = 0;
for (const c of [9, 10, 13, 32]) CLEAN[c] = 1;

/** The [CLS]/[SEP] tokens of a TemplateProcessing `single` of exactly [special] $A [special], or of BertProcessing; else undefined. */
function template(post: Json | null | undefined): [string, string] | undefined {
  if (post?.type === 'BertProcessing') return [(post.cls as [string, number])[0], (post.sep as [string, number])[0]];
  if (post?.type !== 'TemplateProcessing') return undefined;
  const single = post.single as Array<{ SpecialToken?: { id: string }; Sequence?: { id: string } }>;
  if (!Array.isArray(single) || single.length !== 3 || !single[0].SpecialToken || single[1].Sequence?.id !== 'A' || !single[2].SpecialToken) return undefined;
  const specials = post.special_tokens as Record<string, { ids: number[]; tokens: string[] }>;
  const one = (id: string) => (specials?.[id]?.tokens?.length === 1 ? specials[id].tokens[0] : undefined);
  const [cls, sep] = [one(single[0].SpecialToken.id), one(single[2].SpecialToken.id)];
  return cls !== undefined && sep !== undefined ? [cls, sep] : undefined;
}

/** BertNormalizer's clean_text drops these: NUL, U+FFFD and controls (Cc, Cf, Co, Cs) other than \t \n \r (transformers.js tests them per code point). */
const CONTROL = /(?![\t\n\r])[\0\ufffd\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu;
/** CJK ideographs that handle_chinese_chars pads with spaces: transformers.js tests UTF-16 units, so only the BMP blocks ever match. */
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;
/** BertPreTokenizer's expression: runs of neither whitespace nor punctuation, or one punctuation mark. */
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const PRE_TOKEN = new RegExp(`[^\\s${PUNCTUATION}]+|[${PUNCTUATION}]`, 'gu');

/** BertNormalizer's settings besides clean_text (always on here). */
interface NormalizerConfig {
  readonly chinese: boolean;
  readonly lowercase: boolean;
  readonly stripAccents: boolean | null;
}

/** BertNormalizer (clean_text on) as transformers.js applies it, with whole-string replacements. */
function bertNormalize(text: string, c: NormalizerConfig): string {
  let t = text.replace(CONTROL, '').replace(/\s/gu, ' ');
  if (c.chinese) t = t.replace(CJK, ' $& ');
  const strip = (x: string) => x.normalize('NFD').replace(/\p{Mn}/gu, '');
  if (c.lowercase) {
    t = t.toLowerCase();
    if (c.stripAccents !== false) t = strip(t);
  } else if (c.stripAccents) t = strip(t);
  return t;
}

/** The fast path of one tokenizer (see the module doc). */
export class FastWordPiece {
  private constructor(
    private readonly vocab: Map<string, number>,
    private readonly lowercase: boolean,
    private readonly prefix: string,
    private readonly maxWordChars: number,
    private readonly unkId: number,
    private readonly clsId: number,
    private readonly sepId: number,
    /** Special tokens' texts, lowercased: an input containing one goes to transformers.js (which matches them before normalising). */
    private readonly specials: readonly string[],
    private readonly normalizer: NormalizerConfig,
  ) {}

  /** The fast path for this tokenizer.json and tokenizer_config.json, or undefined where transformers.js could differ. */
  static from(json: Json, config: Json): FastWordPiece | undefined {
    const norm = json.normalizer as Json | null;
    const model = json.model as Json;
    const pre = json.pre_tokenizer as Json | null;
    const cs = template(json.post_processor as Json | null);
    if (norm?.type !== 'BertNormalizer' || norm.clean_text !== true || pre?.type !== 'BertPreTokenizer' || model?.type !== 'WordPiece' || !cs) return undefined;
    if (config.remove_space === true || config.do_lowercase_and_remove_accent === true) return undefined;
    const added = (json.added_tokens as Array<{ id: number; content: string }> | undefined) ?? [];
    const vocab = new Map(Object.entries(model.vocab as Record<string, number>));
    // Ids as transformers.js maps tokens: an added token's id first, then the vocabulary's.
    const idOf = (t: string) => added.find((a) => a.content === t)?.id ?? vocab.get(t);
    const unk = String(model.unk_token);
    const [unkId, clsId, sepId] = [idOf(unk), idOf(cs[0]), idOf(cs[1])];
    if (unkId === undefined || clsId === undefined || sepId === undefined) return undefined;
    // A vocabulary entry that is also an added token with another id would map differently.
    if (added.some((a) => vocab.has(a.content) && vocab.get(a.content) !== a.id)) return undefined;
    return new FastWordPiece(vocab, norm.lowercase === true, String(model.continuing_subword_prefix ?? '##'), Number(model.max_input_chars_per_word ?? 100),
      unkId, clsId, sepId, added.map((a) => a.content.toLowerCase()).filter((s) => s.length > 0),
      { chinese: norm.handle_chinese_chars === true, lowercase: norm.lowercase === true, stripAccents: (norm.strip_accents ?? null) as boolean | null });
  }

  /**
   * [CLS] ids [SEP] of `text`, at most `maxLength` ids in all (cut as WordPieceTokenizer.encodeTruncated
   * cuts: the first maxLength − 1, then [SEP]); undefined when the text is not for this path.
   */
  encode(text: string, maxLength = Infinity): number[] | undefined {
    const n = text.length;
    let ascii = true;
    for (let i = 0; i < n && ascii; i++) ascii = text.charCodeAt(i) < 128;
    const lower = text.toLowerCase();
    for (const s of this.specials) if (lower.includes(s)) return undefined;
    const out = [this.clsId];
    const limit = maxLength - 1; // ids before [SEP]
    if (ascii) this.scanAscii(this.lowercase ? lower : text, out, limit);
    else {
      // A long text cut to fit: first a prefix ending before an ASCII space (its pieces are the whole
      // text's first ones: BertNormalizer works character by character, NFD does not reorder across a
      // space, and no word spans one), again whole if the prefix falls short.
      const cut = text.length > PREFIX_CHARS_PER_PIECE * limit ? text.lastIndexOf(' ', PREFIX_CHARS_PER_PIECE * limit) : -1;
      if (cut > 0) this.words(text.slice(0, cut), out, limit);
      if (out.length < limit) {
        out.length = 1;
        this.words(text, out, limit);
      }
    }
    if (out.length > limit) out.length = limit;
    out.push(this.sepId);
    return out;
  }

  /** BertNormalizer, BertPreTokenizer, then WordPiece, until `limit` ids. */
  private words(text: string, out: number[], limit: number): void {
    const words = bertNormalize(text, this.normalizer).trim().match(PRE_TOKEN) ?? [];
    for (let w = 0; w < words.length && out.length < limit; w++) this.word(words[w], out);
  }

  /** BertNormalizer + BertPreTokenizer + WordPiece of an ASCII text in one scan, until `limit` ids. */
  private scanAscii(src: string, out: number[], limit: number): void {
    const n = src.length;
    let i = 0;
    while (i < n && out.length < limit) {
      const c = src.charCodeAt(i);
      const kind = CLEAN[c];
      if (kind !== 2) { i++; continue; }
      if (PUNCT[c]) {
        this.piece(src[i], out);
        i++;
        continue;
      }
      // A word: letters and digits up to a space or punctuation; dropped controls inside it vanish.
      let word = '';
      let start = i;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (CLEAN[d] === 1 || (CLEAN[d] === 2 && PUNCT[d])) break;
        if (CLEAN[d] === 0) { word += src.slice(start, i); start = i + 1; }
        i++;
      }
      word += src.slice(start, i);
      this.word(word, out);
    }
  }

  /** A whole-word piece (punctuation), or [UNK]. */
  private piece(token: string, out: number[]): void {
    out.push(this.vocab.get(token) ?? this.unkId);
  }

  /** Greedy longest-match-first word pieces of one word, or one [UNK] when a part matches nothing (transformers.js's WordPiece, over code points). */
  private word(word: string, out: number[]): void {
    // A whole word in the vocabulary (most of them) needs no cutting.
    const whole = word.length <= this.maxWordChars ? this.vocab.get(word) : undefined;
    if (whole !== undefined) {
      out.push(whole);
      return;
    }
    // Code points, as transformers.js counts and cuts them, where the word has characters outside the BMP.
    const chars: string | string[] = /[\ud800-\udfff]/.test(word) ? [...word] : word;
    if (chars.length > this.maxWordChars) {
      out.push(this.unkId);
      return;
    }
    const at = out.length;
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let id: number | undefined;
      while (start < end) {
        const sub = typeof chars === 'string' ? chars.slice(start, end) : chars.slice(start, end).join('');
        id = this.vocab.get(start > 0 ? this.prefix + sub : sub);
        if (id !== undefined) break;
        end--;
      }
      if (id === undefined) {
        out.length = at;
        out.push(this.unkId);
        return;
      }
      out.push(id);
      start = end;
    }
  }
}
