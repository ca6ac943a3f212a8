import { tokenizerFromVocab } from '../lib/text';
import { readFileSync } from 'node:fs'; import { gunzipSync } from 'node:zlib';
const t = tokenizerFromVocab('data/models/bert-base-uncased/vocab.txt');
console.log(t.encode("Hello, World! Café déjà-vu 2019 東京 supercalifragilisticexpialidocious"));
const lines = gunzipSync(readFileSync('data/demo/dl19/passages.jsonl.gz')).toString().split('\n').filter(Boolean).map(l=>JSON.parse(l).text);
let t0=Date.now(); let n=0; for (let i=0;i<lines.length;i+=64){ n+=t.tokenizeBatch(lines.slice(i,i+64),128).batch;} console.log(n,'passages in', Date.now()-t0,'ms');
