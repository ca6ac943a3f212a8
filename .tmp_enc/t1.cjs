const t0=Date.now();
const T=require('@huggingface/transformers');
console.log('load ms',Date.now()-t0, typeof T.PreTrainedTokenizer, typeof T.BertTokenizer);
