#!/usr/bin/env python3
"""Deepens a trained HRM model folder: appends blocks to its H and L levels that start as the identity.

Why: a bigger model is the next lever once a small one's accuracy flattens, and training a deeper model from
scratch pays again for everything the small one learned. The blocks are post-norm (x <- rms_norm(x + f(x))) and
each level's last block already leaves its output at unit RMS, so a block whose output projections (o_proj and
down_proj) are zero maps its input to itself (up to the norm's eps): the grown model answers as the folder it grew
from, and training moves it from there. The new blocks' other projections get the usual truncated LeCun init, so
the zero projections receive gradient at the first step. Written by hand (no library grows an HRM); it reuses the
trainer twin's model and safetensors code.

Usage: python3 hrm_grow_layers.py --from DIR --to DIR [--H-layers N] [--L-layers N] [--seed S]
Writes DIR/{weights.safetensors,config.json}: the same config with the new layer counts; `hrm-worker run`,
`eval` and both trainers (`load_checkpoint`) read it as any model folder.
"""
import argparse
import json
import os

import torch

from hrm_gpu_train import HrmInner, KEY_PREFIX, load_weights, save_model_folder

ZERO_AT_START = ("self_attn.o_proj.weight", "mlp.down_proj.weight")   # what makes an appended block the identity


def grow(source_cfg, source_model, h_layers, l_layers, seed):
    """A model with h_layers / l_layers blocks: the source's blocks first, identity blocks after them."""
    if h_layers < source_cfg["H_layers"] or l_layers < source_cfg["L_layers"]:
        raise ValueError("growing adds layers: the new counts must not be below the source's "
                         f"(H {source_cfg['H_layers']}, L {source_cfg['L_layers']})")
    torch.manual_seed(seed)
    cfg = dict(source_cfg, H_layers=h_layers, L_layers=l_layers)
    grown = HrmInner(cfg)
    state = grown.state_dict()
    for key, tensor in source_model.state_dict().items():
        state[key] = tensor.clone()                                     # the source's blocks keep their indices
    for level, old in (("H_level", source_cfg["H_layers"]), ("L_level", source_cfg["L_layers"])):
        for index in range(old, cfg[level[0] + "_layers"]):
            for name in ZERO_AT_START:
                state[f"{level}.layers.{index}.{name}"].zero_()
    grown.load_state_dict(state, strict=True)
    return cfg, grown


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--from", dest="source", required=True, help="a model folder (config.json, weights.safetensors)")
    p.add_argument("--to", dest="target", required=True, help="the folder to write")
    p.add_argument("--H-layers", type=int, help="blocks in the H level (default: the source's)")
    p.add_argument("--L-layers", type=int, help="blocks in the L level (default: the source's)")
    p.add_argument("--seed", type=int, default=0, help="seed of the new blocks' init")
    args = p.parse_args()
    with open(os.path.join(args.source, "config.json")) as f:
        source_cfg = json.load(f)
    source = HrmInner(source_cfg)
    load_weights(source, args.source)
    cfg, grown = grow(source_cfg, source, args.H_layers or source_cfg["H_layers"],
                      args.L_layers or source_cfg["L_layers"], args.seed)
    save_model_folder(args.target, grown.state_dict(), cfg)
    print(json.dumps({"from": args.source, "to": args.target, "H_layers": cfg["H_layers"],
                      "L_layers": cfg["L_layers"], "keys": len(grown.state_dict()), "prefix": KEY_PREFIX}))


if __name__ == "__main__":
    main()
