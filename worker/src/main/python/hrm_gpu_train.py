#!/usr/bin/env python3
"""The Java trainer's twin for a CUDA GPU: trains an HRM (hrm_act_v1, RoPE, no puzzle embedding) on an HRM CSV.

Why it exists: `hrm-worker train` (worker/src/main/java/io/hrmstream/worker/train) runs on DJL's libtorch 2.7.1,
and no CUDA build of that libtorch reaches our machines, so on a GPU machine the same training runs here, in
PyTorch. It is written by hand against the same specification as the Java trainer (ActTrainer, ActLosses,
EmaWeights, LrSchedule, SudokuAugmentation) and the official code it follows (HRM's models/hrm/hrm_act_v1.py,
models/layers.py, models/losses.py, pretrain.py); nothing is copied from either.

What is the same as the Java trainer: the model and its state_dict keys (the official `_orig_mod.model.inner.*`),
the ACT step (halted rows take new puzzles, one-step gradient, exploration, bootstrapped q_continue target), the
loss (stablemax cross-entropy + 0.5 * the two q BCEs, over the batch), AdamW, the warm-up + cosine schedule, the
EMA of the weights (what is evaluated and saved), the official augmentations (sudoku: shuffle_sudoku; maze: the 8
dihedral transforms), and the recipe format (a YAML of the same keys, plus `time_limit_minutes`).
What differs: the matrix products run in bfloat16 under autocast (the official forward_dtype; served weights are
float32 either way), so halting decisions during training read bf16-rounded logits; the held-out check runs to
the served step cap (serve_max_steps, else halt_max_steps; Java: halt_max_steps), scores exact matches of the
labels and keeps as best/ the highest exact accuracy, fewer mean steps breaking ties (Java: act exact plus 1e-3 of
the cell accuracy). The Java `eval` command, which runs the task's verifier through the served engine, gives the
numbers that decide what ships. Only hrm_act_v1 with RoPE and no puzzle embedding is covered.

Output: `<output>/best/{weights.safetensors,config.json}` (the EMA weights of the best held-out check, a model
folder `hrm-worker run --model` and `eval --model` load as they are), `<output>/last/` alike, and one log line per
check on stdout.

Usage: python3 hrm_gpu_train.py --config RECIPE.yaml [--output DIR] [--time-limit-minutes M] [--compile]
Needs torch (2.x on a GPU; Debian's 1.13 runs it on a CPU for a smoke test), numpy and PyYAML.
"""
import argparse
import contextlib
import csv
import gzip
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F
import yaml
from torch import nn

IGNORE_LABEL = -100
MAX_SKIPPED_IN_A_ROW = 3                  # TrainingLoop's limit on non-finite steps in a row
KEY_PREFIX = "_orig_mod.model.inner."   # torch.compile + ACTLossHead + ACT wrapper, as pretrain.py saves it
MAZE_CHARSET = "# SGo"                    # MazeTask.CHARSET: token = index + 1, pad 0


# ---------------------------------------------------------------------------------------------------------------
# Data: HRM CSV (source,q,a,rating) -> tokens, and the official augmentations
# ---------------------------------------------------------------------------------------------------------------

def read_puzzles(path, task):
    """Every row of an HRM CSV (optionally .gz) as (inputs [N, S] uint8 tokens, labels [N, S] uint8 tokens)."""
    opener = gzip.open if path.endswith(".gz") else open
    questions, answers = [], []
    with opener(path, "rt", newline="") as f:
        rows = csv.reader(f)
        header = next(rows)
        if header[:3] != ["source", "q", "a"]:
            raise ValueError(f"{path}: expected the HRM CSV header source,q,a,rating, got {header}")
        for row in rows:
            questions.append(row[1])
            answers.append(row[2])
    lut = np.zeros(256, dtype=np.uint8)                           # 0: not a cell of this task
    if task == "sudoku":                                          # token = digit + 1, blank ('.' or '0') 1
        lut[ord(".")] = 1
        for d in range(10):
            lut[ord(str(d))] = d + 1
    elif task == "maze":                                          # token = index in "# SGo" + 1
        for i, ch in enumerate(MAZE_CHARSET):
            lut[ord(ch)] = i + 1
    else:
        raise ValueError(f"task '{task}': expected sudoku or maze")

    def encode(text, line):
        tokens = lut[np.frombuffer(text.encode(), dtype=np.uint8)]
        if not tokens.all() or len(tokens) != len(questions[0]):
            raise ValueError(f"{path}: line {line}: not a {task} grid of {len(questions[0])} cells: {text!r}")
        return tokens

    return (np.stack([encode(q, i + 2) for i, q in enumerate(questions)]),
            np.stack([encode(a, i + 2) for i, a in enumerate(answers)]))


def banded_permutations(rng, k):
    """[k, 9]: the bands in random order and the three lines of each band in random order (per row)."""
    bands = np.argsort(rng.random((k, 3)), axis=1)                  # [k, 3]
    within = np.argsort(rng.random((k, 3, 3)), axis=2)              # [k, 3, 3]
    return (bands[:, :, None] * 3 + within).reshape(k, 9)           # [k, 9]


def shuffle_sudoku(inputs, labels, rng):
    """The official shuffle_sudoku on k boards at once: relabel digits, transpose w.p. 1/2, permute bands/rows and
    stacks/columns; tokens (digit + 1) in, tokens out. inputs, labels: [k, 81]."""
    k = inputs.shape[0]
    digit_map = np.zeros((k, 11), dtype=np.uint8)                   # token -> token; pad 0 and blank 1 stay
    digit_map[:, 1] = 1
    digit_map[:, 2:] = np.argsort(rng.random((k, 9)), axis=1) + 2
    transpose = rng.random(k) < 0.5
    grid_index = np.arange(81).reshape(9, 9)
    source = np.where(transpose[:, None], grid_index.T.reshape(1, 81), grid_index.reshape(1, 81))   # [k, 81]
    rows, cols = banded_permutations(rng, k), banded_permutations(rng, k)   # new line i <- old line perm[i]
    positions = (rows[:, :, None] * 9 + cols[:, None, :]).reshape(k, 81)    # [k, 81] cell read in the transposed
    gather = np.take_along_axis(source, positions, axis=1)                  # [k, 81] cell read in the original
    out = []
    for board in (inputs, labels):
        moved = np.take_along_axis(board, gather, axis=1)                   # [k, 81]
        out.append(np.take_along_axis(digit_map, moved.astype(np.int64), axis=1))
    return out[0], out[1]


def dihedral_indices(n):
    """[8, n*n]: for each of the 8 symmetries of an n x n grid, the source cell of every target cell."""
    grid = np.arange(n * n).reshape(n, n)
    views = []
    for flip in (False, True):
        g = grid.T if flip else grid
        for quarter in range(4):
            views.append(np.rot90(g, quarter).reshape(-1))
    return np.stack(views)


class PuzzleStream:
    """An endless, seeded supply of augmented training puzzles drawn uniformly (with replacement) from a CSV."""

    def __init__(self, path, task, seed):
        self.task = task
        self.inputs, self.labels = read_puzzles(path, task)
        self.rng = np.random.default_rng(seed)
        self.seq_len = self.inputs.shape[1]
        if task == "maze":
            self.views = dihedral_indices(int(round(math.sqrt(self.seq_len))))

    def take(self, k):
        """k augmented puzzles: (inputs, labels), [k, S] int64 tokens each."""
        rows = self.rng.integers(0, len(self.inputs), size=k)
        inputs, labels = self.inputs[rows], self.labels[rows]
        if self.task == "sudoku":
            inputs, labels = shuffle_sudoku(inputs, labels, self.rng)
        else:
            gather = self.views[self.rng.integers(0, 8, size=k)]            # [k, S]
            inputs = np.take_along_axis(inputs, gather, axis=1)
            labels = np.take_along_axis(labels, gather, axis=1)
        return inputs.astype(np.int64), labels.astype(np.int64)


# ---------------------------------------------------------------------------------------------------------------
# The model: HierarchicalReasoningModel_ACTV1's inner model, RoPE, no puzzle embedding
# ---------------------------------------------------------------------------------------------------------------

def trunc_normal_(tensor, std):
    """JAX's truncated normal as the official trunc_normal_init_ does it: N(0,1) cut at +-2, rescaled to std."""
    truncated_std = 0.8796256610342398                                  # std of N(0,1) truncated to [-2, 2]
    with torch.no_grad():
        nn.init.trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0)
        tensor.mul_(std / truncated_std)
    return tensor


def rms_norm(x, eps):
    """RMS norm without a learned scale, computed in float32 (models/layers.py rms_norm)."""
    dtype = x.dtype
    x = x.float()
    return (x * torch.rsqrt(x.square().mean(-1, keepdim=True) + eps)).to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Linear(nn.Module):
    """CastedLinear without bias: y = x W^T, W [out, in], truncated LeCun normal init."""

    def __init__(self, fan_in, fan_out):
        super().__init__()
        self.weight = nn.Parameter(trunc_normal_(torch.empty(fan_out, fan_in), 1.0 / math.sqrt(fan_in)))

    def forward(self, x):
        return F.linear(x, self.weight)                                            # autocast picks the dtype


class Attention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv_proj = Linear(hidden, 3 * hidden)                      # columns [q heads | k heads | v heads]
        self.o_proj = Linear(hidden, hidden)

    def forward(self, x, cos, sin):
        b, s, h = x.shape
        qkv = self.qkv_proj(x).view(b, s, 3 * self.heads, self.head_dim)           # [B, S, 3H, d]
        q, k, v = qkv.split(self.heads, dim=2)                                      # [B, S, H, d] each
        dtype = q.dtype
        q = (q.float() * cos + rotate_half(q.float()) * sin).to(dtype)            # RoPE; cos, sin [S, 1, d]
        k = (k.float() * cos + rotate_half(k.float()) * sin).to(dtype)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))                           # [B, H, S, d]
        if hasattr(F, "scaled_dot_product_attention"):
            out = F.scaled_dot_product_attention(q, k, v)                         # non-causal, 1/sqrt(d)
        else:                                                                      # torch 1.13 (CPU smoke test)
            out = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.head_dim), dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(b, s, h))                  # [B, S, h]


class SwiGLU(nn.Module):
    def __init__(self, hidden, expansion):
        super().__init__()
        inter = -(-round(expansion * hidden * 2 / 3) // 256) * 256                 # rounded up to 256
        self.gate_up_proj = Linear(hidden, 2 * inter)
        self.down_proj = Linear(inter, hidden)

    def forward(self, x):
        gate, up = self.gate_up_proj(x).chunk(2, dim=-1)                           # [B, S, inter] each
        return self.down_proj(F.silu(gate) * up)


class Block(nn.Module):
    """Post-norm transformer block."""

    def __init__(self, cfg):
        super().__init__()
        self.eps = cfg["rms_norm_eps"]
        self.self_attn = Attention(cfg["hidden_size"], cfg["num_heads"])
        self.mlp = SwiGLU(cfg["hidden_size"], cfg["expansion"])

    def forward(self, x, cos, sin):
        x = rms_norm(x + self.self_attn(x, cos, sin), self.eps)
        return rms_norm(x + self.mlp(x), self.eps)


class ReasoningModule(nn.Module):
    def __init__(self, cfg, layers):
        super().__init__()
        self.layers = nn.ModuleList(Block(cfg) for _ in range(layers))

    def forward(self, z, injection, cos, sin):
        z = z + injection
        for layer in self.layers:
            z = layer(z, cos, sin)
        return z


class Embedding(nn.Module):
    """CastedEmbedding: the weight is named embedding_weight in the official state_dict."""

    def __init__(self, vocab, hidden, std):
        super().__init__()
        self.embedding_weight = nn.Parameter(trunc_normal_(torch.empty(vocab, hidden), std))

    def forward(self, tokens):
        return F.embedding(tokens, self.embedding_weight)


class HrmInner(nn.Module):
    """The official inner model: z_L <- L(z_L, z_H + x) L_cycles times per H cycle, z_H <- H(z_H, z_L); only the
    last L and H updates carry gradient (the one-step gradient)."""

    def __init__(self, cfg):
        super().__init__()
        if cfg.get("puzzle_emb_ndim", 0) != 0 or cfg.get("pos_encodings", "rope") != "rope":
            raise ValueError("this trainer covers RoPE models without a puzzle embedding")
        h = cfg["hidden_size"]
        self.cfg = cfg
        self.embed_scale = math.sqrt(h)
        self.embed_tokens = Embedding(cfg["vocab_size"], h, 1.0 / self.embed_scale)
        self.lm_head = Linear(h, cfg["vocab_size"])
        self.q_head = nn.Linear(h, 2)
        with torch.no_grad():                                                      # official: q starts "continue"
            self.q_head.weight.zero_()
            self.q_head.bias.fill_(-5.0)
        self.H_level = ReasoningModule(cfg, cfg["H_layers"])
        self.L_level = ReasoningModule(cfg, cfg["L_layers"])
        self.register_buffer("H_init", trunc_normal_(torch.empty(h), 1.0))
        self.register_buffer("L_init", trunc_normal_(torch.empty(h), 1.0))
        d = h // cfg["num_heads"]
        inv_freq = 1.0 / (cfg["rope_theta"] ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
        freqs = torch.outer(torch.arange(cfg["seq_len"], dtype=torch.float32), inv_freq)   # [S, d/2]
        angles = torch.cat((freqs, freqs), dim=-1)                                          # [S, d]
        self.register_buffer("cos", angles.cos()[:, None, :], persistent=False)           # [S, 1, d]
        self.register_buffer("sin", angles.sin()[:, None, :], persistent=False)

    def initial_carry(self, batch, device):
        s, h = self.cfg["seq_len"], self.cfg["hidden_size"]
        return (self.H_init.expand(batch, s, h).clone().to(device), self.L_init.expand(batch, s, h).clone().to(device))

    def reset_carry(self, reset, carry):
        """Rows where reset [B] is true restart from H_init / L_init."""
        z_h, z_l = carry
        r = reset.view(-1, 1, 1)
        return torch.where(r, self.H_init, z_h), torch.where(r, self.L_init, z_l)

    def forward(self, carry, tokens):
        """carry (z_H, z_L) [B, S, h], tokens [B, S] -> new carry (detached), logits [B, S, V], q_halt, q_cont [B]."""
        x = self.embed_scale * self.embed_tokens(tokens)                         # [B, S, h]
        z_h, z_l = carry
        cos, sin = self.cos, self.sin
        with torch.no_grad():
            for h_step in range(self.cfg["H_cycles"]):
                for l_step in range(self.cfg["L_cycles"]):
                    if not (h_step == self.cfg["H_cycles"] - 1 and l_step == self.cfg["L_cycles"] - 1):
                        z_l = self.L_level(z_l, z_h + x, cos, sin)
                if h_step != self.cfg["H_cycles"] - 1:
                    z_h = self.H_level(z_h, z_l, cos, sin)
        z_l = self.L_level(z_l, z_h + x, cos, sin)                              # the one-step gradient
        z_h = self.H_level(z_h, z_l, cos, sin)
        logits = self.lm_head(z_h)                                              # [B, S, V]
        q = self.q_head(z_h[:, 0]).float()                                      # [B, 2]
        return (z_h.detach().float(), z_l.detach().float()), logits, q[:, 0], q[:, 1]


# ---------------------------------------------------------------------------------------------------------------
# Loss (models/losses.py ACTLossHead with stablemax cross-entropy)
# ---------------------------------------------------------------------------------------------------------------

def log_stablemax(x):
    """log(s(x) / sum s(x)), s(x) = 1/(1-x) for x < 0 else x + 1; the clamp keeps the unused branch finite."""
    s = torch.where(x < 0, 1.0 / (1.0 - x.clamp(max=0)), x + 1.0)
    return torch.log(s / s.sum(-1, keepdim=True))


def step_loss(logits, labels, q_halt, q_continue, q_continue_target):
    """(total / batch, lm, q_halt BCE, q_continue BCE, seq_is_correct [B]); labels [B, S] with IGNORE_LABEL."""
    mask = labels != IGNORE_LABEL                                               # [B, S]
    counts = mask.sum(-1)                                                       # [B]
    safe = torch.where(mask, labels, torch.zeros_like(labels))
    correct = mask & (logits.argmax(-1) == labels)
    seq_correct = (correct.sum(-1) == counts).float()                           # [B]
    cell_loss = -log_stablemax(logits.float()).gather(-1, safe.unsqueeze(-1)).squeeze(-1) * mask   # [B, S]
    lm = (cell_loss.sum(-1) / counts.clamp(min=1)).sum()
    halt = F.binary_cross_entropy_with_logits(q_halt, seq_correct, reduction="sum")
    cont = torch.zeros_like(halt) if q_continue_target is None else \
        F.binary_cross_entropy_with_logits(q_continue, q_continue_target, reduction="sum")
    total = (lm + 0.5 * (halt + cont)) / logits.shape[0]
    return total, lm, halt, cont, seq_correct


# ---------------------------------------------------------------------------------------------------------------
# Weights in and out: safetensors (written by hand: Debian's torch 1.13 has no safetensors package; the format is
# 8 bytes of header length, a JSON header, then the raw little-endian tensors)
# ---------------------------------------------------------------------------------------------------------------

DTYPES = {"F32": (np.float32, torch.float32), "BF16": (None, torch.bfloat16)}


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = data[begin:end]
        if entry["dtype"] == "F32":
            t = torch.from_numpy(np.frombuffer(raw, dtype=np.float32).copy())
        elif entry["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16
            t = torch.from_numpy(bits.view(np.float32).copy())
        else:
            raise ValueError(f"{path}: {key} has dtype {entry['dtype']}")
        out[key] = t.reshape(entry["shape"])
    return out


def write_safetensors(path, tensors):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for key, t in tensors.items():
        raw = t.detach().float().cpu().contiguous().numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)
    os.replace(tmp, path)


def load_weights(model, folder):
    """A model folder's weights (either key form, with or without `_orig_mod.`) into the model; shapes must match."""
    state = {}
    for key, t in read_safetensors(os.path.join(folder, "weights.safetensors")).items():
        name = key.split("model.inner.", 1)[-1]
        state[name] = t
    missing = model.load_state_dict(state, strict=True)
    return missing


def save_model_folder(folder, weights, model_config):
    os.makedirs(folder, exist_ok=True)
    write_safetensors(os.path.join(folder, "weights.safetensors"), {KEY_PREFIX + k: v for k, v in weights.items()})
    with open(os.path.join(folder, "config.json.tmp"), "w") as f:
        json.dump(model_config, f, indent=2)
    os.replace(os.path.join(folder, "config.json.tmp"), os.path.join(folder, "config.json"))


# ---------------------------------------------------------------------------------------------------------------
# Held-out check: ACT inference as served (halt when q_halt > q_continue, or at the step cap)
# ---------------------------------------------------------------------------------------------------------------

@torch.no_grad()
def evaluate(model, inputs, labels, max_steps, batch=1024):
    """(exact fraction, mean steps) over [N, S] token tensors on the model's device, in float32."""
    exact, steps_used = 0, 0
    for start in range(0, inputs.shape[0], batch):
        x, y = inputs[start:start + batch], labels[start:start + batch]
        n = x.shape[0]
        carry = model.initial_carry(n, x.device)
        done = torch.zeros(n, dtype=torch.bool, device=x.device)
        answer = torch.zeros_like(y)
        steps = torch.zeros(n, dtype=torch.long, device=x.device)
        for step in range(1, max_steps + 1):
            carry, logits, q_halt, q_cont = model(carry, x)
            halts = (~done) & ((q_halt > q_cont) | (step == max_steps))
            answer = torch.where(halts[:, None], logits.argmax(-1), answer)
            steps = torch.where(halts, torch.full_like(steps, step), steps)
            done |= halts
            if bool(done.all()):
                break
        mask = y != IGNORE_LABEL
        exact += int(((answer == y) | ~mask).all(-1).sum())
        steps_used += int(steps.sum())
    return exact / inputs.shape[0], steps_used / inputs.shape[0]


# ---------------------------------------------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------------------------------------------

def lr_at(step, opt, total_steps, time_fraction=0.0):
    """LrSchedule.at: linear warm-up, then cosine down to lr * min_lr_ratio at total_steps; a run with a time limit
    is as far along as the larger of its step and time fractions, so its rate reaches the floor when time is up."""
    peak, warmup = opt.get("lr", 1e-3), opt.get("warmup_steps", 200)
    if step < warmup:
        return peak * (step + 1) / warmup
    ratio = opt.get("min_lr_ratio", 0.1)
    if opt.get("schedule", "cosine") == "step":                        # one drop to lr * min_lr_ratio at drop_at
        return peak * ratio if max(time_fraction, step / total_steps) >= opt.get("drop_at", 0.6) else peak
    if opt.get("schedule", "cosine") != "cosine":
        raise ValueError(f"optimizer.schedule '{opt['schedule']}': expected cosine or step")
    progress = min(1.0, max(time_fraction, (step - warmup) / max(1, total_steps - warmup)))
    return peak * (ratio + max(0.0, (1 - ratio) * 0.5 * (1 + math.cos(math.pi * progress))))


REQUIRED_ARCH = ("H_cycles", "L_cycles", "H_layers", "L_layers", "hidden_size", "expansion", "num_heads",
                 "pos_encodings", "halt_max_steps")


def model_config(recipe, seq_len, vocab):
    """config.json's fields from the recipe's arch, with the defaults ModelConfig.fromOfficialFields takes."""
    arch = dict(recipe["arch"])
    name = arch.pop("name", None)
    if name != "hrm_act_v1":
        raise ValueError(f"arch.name '{name}': this trainer trains hrm_act_v1 only (use hrm-worker train for trm)")
    missing = [k for k in REQUIRED_ARCH if k not in arch]
    if missing:
        raise ValueError(f"arch: missing {missing}")
    cfg = {"batch_size": recipe.get("batch_size", 64), "seq_len": seq_len, "puzzle_emb_ndim": 0,
           "num_puzzle_identifiers": 1, "vocab_size": vocab, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
           "halt_exploration_prob": 0.0, "forward_dtype": "float32"}
    cfg.update(arch)
    cfg["expansion"] = float(cfg["expansion"])
    cfg["task"] = recipe["data"]["task"]
    return cfg


def compiled_forward(model, tokens, carry, autocast):
    """torch.compile(model) if it compiles and runs one forward and backward (with and without grad) here, else the
    model itself: a small model's step is mostly kernel launches, which the compiler fuses; a machine whose torch
    cannot compile (no Triton, torch 1.x) trains eagerly rather than not at all."""
    if not hasattr(torch, "compile") or tokens.device.type != "cuda":
        print(json.dumps({"compile": "skipped: needs torch 2.x on CUDA"}), flush=True)
        return model
    started = time.time()
    try:
        compiled = torch.compile(model)
        with torch.autocast("cuda", dtype=torch.bfloat16) if autocast else contextlib.nullcontext():
            _, logits, q_halt, _ = compiled(carry, tokens)
            with torch.no_grad():
                compiled(carry, tokens)
        (logits.float().mean() + q_halt.mean()).backward()
        model.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
    except Exception as e:                                              # any compiler failure: train eagerly
        model.zero_grad(set_to_none=True)
        print(json.dumps({"compile": "failed, training eagerly", "error": repr(e)[:400]}), flush=True)
        return model
    print(json.dumps({"compile": "ok", "seconds": round(time.time() - started, 1)}), flush=True)
    return compiled


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--config", required=True, help="the recipe YAML")
    p.add_argument("--output", help="run folder (default: the recipe's output)")
    p.add_argument("--time-limit-minutes", type=float, help="stop after this long (default: the recipe's)")
    p.add_argument("--steps", type=int, help="optimizer steps (default: the recipe's)")
    p.add_argument("--batch-size", type=int, help="puzzles per step (default: the recipe's)")
    p.add_argument("--eval-puzzles", type=int, help="held-out puzzles per check (default: the recipe's)")
    p.add_argument("--compile", action="store_true",
                   help="run the training forward through torch.compile (CUDA, torch 2.x); eager if it fails")
    args = p.parse_args()
    with open(args.config) as f:
        recipe = yaml.safe_load(f)
    output = args.output or recipe["output"]
    limit_s = 60 * (args.time_limit_minutes or recipe.get("time_limit_minutes", 1e9))
    total_steps = args.steps or recipe["steps"]
    opt_cfg, eval_cfg, data_cfg = recipe.get("optimizer", {}), recipe.get("eval", {}), recipe["data"]
    task = data_cfg["task"]
    seed = recipe.get("seed", 0)
    torch.manual_seed(seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    started = time.time()

    stream = PuzzleStream(data_cfg["csv"], task, seed)
    vocab = 11 if task == "sudoku" else len(MAZE_CHARSET) + 1
    cfg = model_config(recipe, stream.seq_len, vocab)
    model = HrmInner(cfg)
    if recipe.get("load_checkpoint"):
        load_weights(model, recipe["load_checkpoint"])
    model.to(device)
    params = [p for p in model.parameters()]
    optimizer = torch.optim.AdamW(params, lr=opt_cfg.get("lr", 1e-3), betas=(opt_cfg.get("beta1", 0.9),
                                  opt_cfg.get("beta2", 0.95)), eps=opt_cfg.get("eps", 1e-8),
                                  weight_decay=opt_cfg.get("weight_decay", 0.1))
    ema_rate = opt_cfg.get("ema")
    ema = {k: v.detach().clone() for k, v in model.named_parameters()} if ema_rate else None

    val_x, val_y = read_puzzles(eval_cfg["csv"], task)
    val_n = min(len(val_x), args.eval_puzzles or eval_cfg.get("puzzles", 256))
    val_x = torch.from_numpy(val_x[:val_n].astype(np.int64)).to(device)
    val_y = torch.from_numpy(val_y[:val_n].astype(np.int64)).to(device)
    val_y = torch.where(val_y == 0, torch.full_like(val_y, IGNORE_LABEL), val_y)
    eval_steps = cfg.get("serve_max_steps", cfg["halt_max_steps"])   # what run serves
    eval_model = HrmInner(cfg).to(device)

    def averaged_state():
        state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        if ema is not None:
            state.update({k: v.clone() for k, v in ema.items()})
        return state

    def check(step):
        state = averaged_state()
        eval_model.load_state_dict(state)
        acc, mean_steps = evaluate(eval_model, val_x, val_y, eval_steps)
        return acc, mean_steps, state

    batch = args.batch_size or recipe["batch_size"]
    max_steps, explore = cfg["halt_max_steps"], cfg["halt_exploration_prob"]
    carry = model.initial_carry(batch, device)
    tokens = torch.zeros(batch, stream.seq_len, dtype=torch.long, device=device)
    labels = torch.zeros_like(tokens)
    steps = torch.zeros(batch, dtype=torch.long, device=device)
    halted = torch.ones(batch, dtype=torch.bool, device=device)
    autocast = device.type == "cuda"
    forward = compiled_forward(model, tokens, carry, autocast) if args.compile else model
    best = (-1.0, 0.0)
    acc0, steps0, _ = check(0)
    print(json.dumps({"step": 0, "exact": acc0, "mean_steps": steps0, "elapsed_s": round(time.time() - started, 1)}),
          flush=True)
    window = {"loss": 0.0, "train_exact": 0.0, "n": 0}
    step, skipped_in_a_row = 0, 0
    for step in range(1, total_steps + 1):
        # 1. halted rows take new puzzles and restart from H_init / L_init
        reset = halted.clone()
        rows = torch.nonzero(reset).flatten()
        if rows.numel():
            x, y = stream.take(rows.numel())
            tokens[rows] = torch.from_numpy(x).to(device)
            y = torch.from_numpy(y).to(device)
            labels[rows] = torch.where(y == 0, torch.full_like(y, IGNORE_LABEL), y)
            steps[rows] = 0
        carry = model.reset_carry(reset, carry)
        # 2. one inner forward with the one-step gradient
        with torch.autocast("cuda", dtype=torch.bfloat16) if autocast else contextlib.nullcontext():
            new_carry, logits, q_halt, q_cont = forward(carry, tokens)
            # 3. halting, with exploration
            with torch.no_grad():
                steps += 1
                is_last = steps >= max_steps
                halted = is_last.clone()
                target = None                                           # one step: nothing to halt or bootstrap
                if max_steps > 1:
                    halted |= q_halt > q_cont
                    explore_rows = torch.rand(batch, device=device) < explore
                    min_steps = torch.where(explore_rows, torch.randint(2, max_steps + 1, (batch,), device=device),
                                            torch.zeros_like(steps))
                    halted &= steps >= min_steps
                    # 4. bootstrapped q_continue target from one more forward on the new carry
                    _, _, next_halt, next_cont = forward(new_carry, tokens)
                    target = torch.sigmoid(torch.where(is_last, next_halt, torch.maximum(next_halt, next_cont)))
            total, lm, qh, qc, seq_correct = step_loss(logits, labels, q_halt, q_cont, target)
        # 5. AdamW at the schedule's rate, then the EMA
        lr = lr_at(step - 1, opt_cfg, total_steps, (time.time() - started) / limit_s)
        for group in optimizer.param_groups:
            group["lr"] = lr
        optimizer.zero_grad(set_to_none=True)
        total.backward()
        # skip a non-finite update (as a loss scaler does) and restart every row: a bad carry must not poison the
        # next steps; one fused check instead of one device sync per tensor
        finite = torch.isfinite(total) & torch.stack([torch.isfinite(p.grad).all() for p in params
                                                      if p.grad is not None]).all()
        if bool(finite):
            skipped_in_a_row = 0
            optimizer.step()
            if ema is not None:
                with torch.no_grad():
                    for k, v in model.named_parameters():
                        ema[k].mul_(ema_rate).add_(v.detach(), alpha=1 - ema_rate)
        else:
            halted.fill_(True)
            skipped_in_a_row += 1
            if skipped_in_a_row >= MAX_SKIPPED_IN_A_ROW:                  # TrainingLoop gives up alike
                raise RuntimeError(f"step {step}: {skipped_in_a_row} non-finite losses or gradients in a row")
            continue
        carry = new_carry
        window["loss"] += float(total.detach())
        window["train_exact"] += float(seq_correct.mean())                    # rows right at this step
        window["n"] += 1

        out_of_time = time.time() - started > limit_s
        if step % eval_cfg.get("every", 250) == 0 or out_of_time or step == total_steps:
            acc, mean_steps, state = check(step)
            line = {"step": step, "exact": round(acc, 4), "mean_steps": round(mean_steps, 2),
                    "loss": round(window["loss"] / max(1, window["n"]), 4),
                    "train_exact": round(window["train_exact"] / max(1, window["n"]), 4), "lr": lr,
                    "elapsed_s": round(time.time() - started, 1)}
            window = {"loss": 0.0, "train_exact": 0.0, "n": 0}
            if (acc, -mean_steps) > best:
                best = (acc, -mean_steps)
                save_model_folder(os.path.join(output, "best"), state, cfg)
                line["best"] = True
            save_model_folder(os.path.join(output, "last"), state, cfg)
            print(json.dumps(line), flush=True)
        if out_of_time:
            break
    print(json.dumps({"done": step, "best_exact": best[0], "best_mean_steps": -best[1],
                      "elapsed_s": round(time.time() - started, 1)}), flush=True)


if __name__ == "__main__":
    main()
