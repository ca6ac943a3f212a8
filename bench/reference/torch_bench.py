#!/usr/bin/env python3
"""PyTorch reference for the mta4dpr benchmarks: the same model shapes and the same work, measured
on the same machine, so `mta4dpr bench` can report tfjs/onnxruntime time as a ratio of PyTorch's.

Shapes mirror lib/models/config.ts: the default student (DistilBERT layout, 30,522 word pieces of
100 d projected to 128, 1 post-LN layer, 2 heads, FFN 256, idf-weighted mean pooling, cosine) and
DistilBERT-base (768 wide, 6 layers, 12 heads, FFN 3072, CLS pooling, dot). Token ids are random
(throughput does not depend on them); every passage is 128 word pieces, queries 32.

Work measured (median of --repeats runs, after one warm-up):
  encode  passages/s, batches of --encode-batch passages in inference mode;
  train   query groups/s, one group = 1 query × (1 positive + 7 negatives), loss = InfoNCE with
          in-batch negatives + listwise KL to a teacher distribution, global-norm clipping, AdamW;
  search  queries/s of exact inner-product top-100 over a 100,000 × 768 float32 matrix.

Usage: python3 bench/reference/torch_bench.py [--threads 2] [--models default,distilbert] [--json]
       python3 bench/reference/torch_bench.py --serve   (one JSON request a line on stdin, one JSON
       reply a line on stdout: {"work": "train", "model": "default", "groups": 4, "steps": 3},
       {"work": "encode", "model": ..., "batch": 64, "repeats": 3}, {"work": "search", "queries": 256};
       so the benchmarks can interleave PyTorch's repetitions with their own)
Exits 3 with a message on stderr when PyTorch is not installed (the benchmark suite then skips it).
"""
import argparse
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("torch_bench: PyTorch is not installed (Debian: apt-get install python3-torch libopenblas0-openmp)", file=sys.stderr)
    sys.exit(3)

PRESETS = {
    "default": dict(vocab=30522, emb=100, hidden=128, layers=1, heads=2, ffn=256, pooling="idf-mean", cosine=True, eps=1e-12),
    "distilbert": dict(vocab=30522, emb=768, hidden=768, layers=6, heads=12, ffn=3072, pooling="cls", cosine=False, eps=1e-12),
}


class Block(nn.Module):
    """One post-LN transformer block, as lib/models/transformer.ts computes it."""

    def __init__(self, h, heads, ffn, eps):
        super().__init__()
        self.heads, self.dh = heads, h // heads
        self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
        self.ln1 = nn.LayerNorm(h, eps=eps)
        self.ffn_in, self.ffn_out = nn.Linear(h, ffn), nn.Linear(ffn, h)
        self.ln2 = nn.LayerNorm(h, eps=eps)

    def forward(self, x, bias):
        b, n, h = x.shape
        split = lambda t: t.view(b, n, self.heads, self.dh).transpose(1, 2)
        q, k, v = split(self.q(x) / math.sqrt(self.dh)), split(self.k(x)), split(self.v(x))
        probs = torch.softmax(q @ k.transpose(-1, -2) + bias, dim=-1)
        ctx = (probs @ v).transpose(1, 2).reshape(b, n, h)
        x = self.ln1(self.o(ctx) + x)
        return self.ln2(self.ffn_out(F.gelu(self.ffn_in(x))) + x)


class Tower(nn.Module):
    """Embeddings (+ projection when narrower than hidden), blocks, pooling."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.word = nn.Embedding(c["vocab"], c["emb"])
        self.proj = nn.Linear(c["emb"], c["hidden"], bias=False) if c["emb"] != c["hidden"] else None
        self.pos = nn.Embedding(512, c["hidden"])
        self.ln = nn.LayerNorm(c["hidden"], eps=c["eps"])
        self.blocks = nn.ModuleList(Block(c["hidden"], c["heads"], c["ffn"], c["eps"]) for _ in range(c["layers"]))
        self.word_weight = nn.Parameter(torch.zeros(c["vocab"])) if c["pooling"] == "idf-mean" else None

    def forward(self, ids, mask):
        x = self.word(ids)
        if self.proj is not None:
            x = self.proj(x)
        x = self.ln(x + self.pos.weight[: ids.shape[1]])
        bias = (1.0 - mask.float())[:, None, None, :] * -1e9
        for blk in self.blocks:
            x = blk(x, bias)
        if self.c["pooling"] == "cls":
            out = x[:, 0]
        else:
            w = F.softplus(self.word_weight[ids]) * mask.float()
            out = (x * w.unsqueeze(2)).sum(1) / (w.sum(1, keepdim=True) + 1e-9)
        return F.normalize(out, dim=-1) if self.c["cosine"] else out


def runtime_blas():
    """The BLAS library the dynamic linker resolves (Debian's alternatives), not the build-time name."""
    for lib in ("/usr/lib/x86_64-linux-gnu/libblas.so.3", "/usr/lib/aarch64-linux-gnu/libblas.so.3"):
        if os.path.exists(lib):
            return os.path.realpath(lib)
    return "unknown"


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench_encode(model, batch, repeats):
    ids = torch.randint(1000, 30000, (batch, 128))
    mask = torch.ones_like(ids)
    with torch.inference_mode():
        model(ids, mask)
        times = [timed(lambda: model(ids, mask)) for _ in range(repeats)]
    return {"passagesPerSecond": batch / statistics.median(times), "batch": batch, "secondsPerBatch": statistics.median(times), "runs": len(times)}


def bench_train(model, groups, repeats):
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    q_ids = torch.randint(1000, 30000, (groups, 32))
    p_ids = torch.randint(1000, 30000, (groups * 8, 128))
    q_mask, p_mask = torch.ones_like(q_ids), torch.ones_like(p_ids)
    teacher = torch.softmax(torch.randn(groups, 8), dim=-1)
    labels = torch.arange(groups) * 8

    def step():
        opt.zero_grad(set_to_none=True)
        q, p = model(q_ids, q_mask), model(p_ids, p_mask)
        contrastive = F.cross_entropy(q @ p.T, labels)
        own = torch.einsum("bd,bnd->bn", q, p.view(groups, 8, -1))
        kl = F.kl_div(F.log_softmax(own, dim=-1), teacher, reduction="batchmean")
        (contrastive + kl).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    step()
    times = [timed(step) for _ in range(repeats)]
    return {"groupsPerSecond": groups / statistics.median(times), "batchGroups": groups, "secondsPerStep": statistics.median(times), "runs": len(times)}


def bench_search(rows, dim, queries, k, repeats):
    gen = torch.Generator().manual_seed(0)
    corpus = torch.randn(rows, dim, generator=gen)
    q = torch.randn(queries, dim, generator=gen)
    with torch.inference_mode():
        torch.topk(q @ corpus.T, k, dim=1)
        times = [timed(lambda: torch.topk(q @ corpus.T, k, dim=1)) for _ in range(repeats)]
    return {"queriesPerSecond": queries / statistics.median(times), "rows": rows, "dim": dim, "queries": queries, "k": k, "runs": len(times)}


def serve():
    """Answers measurement requests, one JSON object per stdin line, keeping models and data between them."""
    models, cache = {}, {}

    def model_of(name):
        if name not in models:
            torch.manual_seed(0)
            models[name] = Tower(PRESETS[name])
        return models[name]

    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": runtime_blas()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
            work = req["work"]
            if work == "train":
                out = bench_train(model_of(req["model"]).train(), int(req.get("groups", 4)), int(req.get("steps", 3)))
            elif work == "encode":
                out = bench_encode(model_of(req["model"]).eval(), int(req.get("batch", 64)), int(req.get("repeats", 3)))
            elif work == "search":
                key = ("search", int(req.get("rows", 100_000)), int(req.get("dim", 768)))
                out = bench_search(key[1], key[2], int(req.get("queries", 256)), int(req.get("k", 100)), int(req.get("repeats", 1)))
            else:
                raise ValueError(f"unknown work {work!r}")
            print(json.dumps({"ok": True, **out}), flush=True)
        except Exception as e:  # a bad request is answered, not fatal
            print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--models", default="default,distilbert")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--encode-batch", type=int, default=64)
    ap.add_argument("--train-groups", type=int, default=4)
    ap.add_argument("--search-queries", type=int, default=256)
    ap.add_argument("--serve", action="store_true", help="answer JSON requests on stdin (for interleaved repetitions)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    if args.serve:
        serve()
        return
    results = []
    for name in args.models.split(","):
        c = PRESETS[name]
        model = Tower(c)
        params = sum(p.numel() for p in model.parameters())
        big = name == "distilbert"
        enc = bench_encode(model.eval(), 16 if big else args.encode_batch, 3 if big else args.repeats)
        tr = bench_train(model.train(), args.train_groups, 3 if big else args.repeats)
        results.append({"model": name, "parameters": params, "encode": enc, "train": tr})
    search = bench_search(100_000, 768, args.search_queries, 100, args.repeats)
    print(json.dumps({
        "bench": "torch-reference", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "blas": runtime_blas(),
        "python": platform.python_version(), "results": results, "search": search,
        "peakRssMiB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }, indent=2))


if __name__ == "__main__":
    main()
