"""
python3 training/export.py --ckpt <checkpoint file, or a save folder: its newest> --id <id> --out <models folder>
Writes <id>-tnet.onnx/.json (role trimap) and <id>-mnet.onnx/.json (role matting) after the studio's
manifest checks and a PyTorch ↔ onnxruntime-node parity check (max |diff| ≤ 1e-4). Prints a JSON report.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# OpenMP threads that sleep while they wait, set before torch loads libgomp: with the default
# (spinning) policy, on a CPU shared with other work PyTorch's two threads ran the T-Net's
# forward and backward 20x slower than with this (9.45 s against 0.46 s, batch 8 at 64 px, load 13
# on 2 cores).
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')

import torch  # noqa: E402

from shm.errors import TrainerError  # noqa: E402
from shm.export_onnx import export_pair  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--ckpt', required=True)
    p.add_argument('--id', required=True, help='model id prefix: the pair is <id>-tnet and <id>-mnet')
    p.add_argument('--out', required=True, help="the studio's models folder (SHM_MODELS_DIR, or models/ of the repository)")
    p.add_argument('--size', type=int, default=320, help='network input size (square, multiple of 32)')
    p.add_argument('--no_parity', action='store_true', help='skip the onnxruntime-node check (when Node.js is not installed)')
    p.add_argument('--node', default=os.environ.get('SHM_NODE', 'node'))
    a = p.parse_args(argv)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    try:
        report = export_pair(a.ckpt, a.id, a.out, a.size, parity=not a.no_parity, node=a.node)
    except TrainerError as e:
        print(f'export.py: error: {e}', file=sys.stderr)
        return 2
    print(json.dumps(report))
    return 0


if __name__ == '__main__':
    sys.exit(main())
