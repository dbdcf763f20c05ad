"""The PyTorch peer of bench/pretrain.ts: the same model shape (GPT-2 style: token + learned
position embeddings, pre-LayerNorm blocks, causal multi-head attention, tanh-GELU MLP, tied
output head), the same examples (left-padded prompt + target, masked softmax over each target
position's allowed tokens), the same micro-batches (one view each, sorted by length, within the
padded-token budget) and AdamW with global-norm clipping, on 1 and on 2 CPU threads (on a busy
2-core machine, OpenMP's 2 threads can be several times slower than 1).

Usage: python3 bench/pretrain_torch.py BATCHES.json   (written by bench/pretrain.ts)
Prints {"stepS": {"1": seconds per step, "2": …}} (per thread count, the first batch is stepped
once more as a warm-up).
"""

import json
import math
import sys
import time

import torch
import torch.nn.functional as F

torch.manual_seed(0)


class Block(torch.nn.Module):
    def __init__(self, d, h, r):
        super().__init__()
        self.h = h
        self.ln1 = torch.nn.LayerNorm(d)
        self.q = torch.nn.Linear(d, d)
        self.k = torch.nn.Linear(d, d)
        self.v = torch.nn.Linear(d, d)
        self.out = torch.nn.Linear(d, d)
        self.ln2 = torch.nn.LayerNorm(d)
        self.fc = torch.nn.Linear(d, r * d)
        self.proj = torch.nn.Linear(r * d, d)

    def forward(self, x, bias):  # x [B, T, D], bias [B, 1, T, T]
        B, T, D = x.shape
        hd = D // self.h
        y = self.ln1(x)
        heads = lambda t: t.view(B, T, self.h, hd).transpose(1, 2)  # [B, H, T, hd]
        q, k, v = heads(self.q(y)), heads(self.k(y)), heads(self.v(y))
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + bias, -1)
        x = x + self.out((att @ v).transpose(1, 2).reshape(B, T, D))
        return x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


class Model(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        d = m["dModel"]
        self.wte = torch.nn.Embedding(m["vocab"], d)
        self.wpe = torch.nn.Embedding(m["contextLen"], d)
        self.blocks = torch.nn.ModuleList(
            Block(d, m["nHeads"], m["mlpRatio"]) for _ in range(m["nLayers"])
        )
        self.lnf = torch.nn.LayerNorm(d)

    def forward(self, ids, pos, bias):
        x = self.wte(ids) + self.wpe(pos)
        for b in self.blocks:
            x = b(x, bias)
        return self.lnf(x) @ self.wte.weight.T  # [B, T, V]


def micro_batches(batch, budget):
    by_view = {}
    for e in batch:
        by_view.setdefault(e["view"], []).append(e)
    out = []
    for group in by_view.values():
        group.sort(key=lambda e: len(e["prompt"]) + len(e["target"]))
        cur = []
        for e in group:
            if cur and (len(cur) + 1) * (len(e["prompt"]) + len(e["target"])) > budget:
                out.append(cur)
                cur = []
            cur.append(e)
        if cur:
            out.append(cur)
    return out


def tensors(group, V):
    """Left-padded ids, positions and attention bias; the predicting rows' targets and masks."""
    P = max(len(e["prompt"]) for e in group)
    Tc = max(len(e["target"]) for e in group)
    T = P + Tc - 1
    B = len(group)
    ids = torch.zeros(B, T, dtype=torch.long)
    pos = torch.zeros(B, T, dtype=torch.long)
    keep = torch.zeros(B, T, dtype=torch.bool)
    target = torch.zeros(B, Tc, dtype=torch.long)
    weight = torch.zeros(B, Tc)
    allowed = torch.zeros(B, Tc, V, dtype=torch.bool)
    for b, e in enumerate(group):
        pad = P - len(e["prompt"])
        seq = (e["prompt"] + e["target"])[: T - pad]
        ids[b, pad : pad + len(seq)] = torch.tensor(seq)
        pos[b, pad:] = torch.arange(T - pad)
        keep[b, pad:] = True
        for j, (tok, ok) in enumerate(zip(e["target"], e["allowed"])):
            target[b, j] = tok
            weight[b, j] = 1
            allowed[b, j, ok] = True
    allowed[weight == 0] = True
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    bias = torch.zeros(B, 1, T, T).masked_fill(~(causal & keep[:, None, None, :]), -1e9)
    return ids, pos, bias, P, Tc, target, weight, allowed


def step(model, opt, batch, budget, V):
    tokens = sum(len(e["target"]) for e in batch)
    opt.zero_grad()
    for group in micro_batches(batch, budget):
        ids, pos, bias, P, Tc, target, weight, allowed = tensors(group, V)
        logits = model(ids, pos, bias)[:, P - 1 : P - 1 + Tc]  # [B, Tc, V]
        logp = torch.log_softmax(logits.masked_fill(~allowed, -1e30), -1)
        nll = -(logp.gather(-1, target[..., None])[..., 0] * weight).sum()
        (nll / tokens).backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()


def main():
    spec = json.load(open(sys.argv[1]))
    V = spec["model"]["vocab"]
    model = Model(spec["model"])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01, betas=(0.9, 0.99))
    budget = spec["microBatchTokens"]
    out = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        step(model, opt, spec["batches"][0], budget, V)  # warm-up
        t0 = time.perf_counter()
        for batch in spec["batches"]:
            step(model, opt, batch, budget, V)
        out[str(threads)] = (time.perf_counter() - t0) / len(spec["batches"])
    print(json.dumps({"stepS": out}))


main()
