/**
 * Builds the Hugging Face `tokenizer.json` / `tokenizer_config.json` equivalent of a bare BERT
 * `vocab.txt` (uncased WordPiece), so a vocabulary alone gives exactly bert-base-uncased's tokenizer.
 */

/** The special tokens a BERT vocabulary must contain. */
export const BERT_SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

/** Parses vocab.txt content: one token per line, id = line index (a trailing empty line is ignored). */
export function parseVocabTxt(text: string, file: string): string[] {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0) throw new Error(`${file}: empty vocabulary`);
  const seen = new Map<string, number>();
  lines.forEach((tok, i) => {
    if (seen.has(tok)) throw new Error(`${file}:${i + 1}: duplicate token '${tok}' (first at line ${seen.get(tok)! + 1})`);
    seen.set(tok, i);
  });
  for (const s of BERT_SPECIAL_TOKENS) if (!seen.has(s)) throw new Error(`${file}: vocabulary lacks special token ${s}`);
  return lines;
}

/** tokenizer.json for an uncased BERT WordPiece vocabulary (as `BertTokenizerFast` would save it). */
export function bertTokenizerJson(vocab: readonly string[], lowercase = true): Record<string, unknown> {
  const id = (t: string) => vocab.indexOf(t);
  const vocabMap: Record<string, number> = {};
  vocab.forEach((t, i) => (vocabMap[t] = i));
  const special = (t: string) => ({ id: id(t), content: t, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tmplToken = (t: string, typeId: number) => ({ SpecialToken: { id: t, type_id: typeId } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: BERT_SPECIAL_TOKENS.map(special).sort((a, b) => a.id - b.id),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [tmplToken('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, tmplToken('[SEP]', 0)],
      pair: [tmplToken('[CLS]', 0), { Sequence: { id: 'A', type_id: 0 } }, tmplToken('[SEP]', 0), { Sequence: { id: 'B', type_id: 1 } }, tmplToken('[SEP]', 1)],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [id('[CLS]')], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [id('[SEP]')], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab: vocabMap },
  };
}

/** tokenizer_config.json matching {@link bertTokenizerJson}. */
export function bertTokenizerConfig(lowercase = true, modelMaxLength = 512): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: lowercase,
    tokenize_chinese_chars: true,
    strip_accents: null,
    clean_up_tokenization_spaces: true,
    model_max_length: modelMaxLength,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}
