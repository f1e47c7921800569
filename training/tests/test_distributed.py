"""Two processes through torchrun (gloo on CPU, DistributedDataParallel) train together."""
import json
import os
import subprocess
import sys

from conftest import COMMON, TRAINING

# Debian's torch 1.13 on Python 3.11: torchrun's default --redirects/--tee "0" parse to None (3.11's
# Flag enums no longer iterate their zero member) and it fails at start; a mapping that names only a
# rank that does not exist (2 of 0..1) means "redirect nothing" and parses. Newer torch needs nothing.
NO_REDIRECTS = ['--redirects', '2:1', '--tee', '2:1']


def test_two_process_gloo_torchrun(small_dataset, tmp_path):
    save = str(tmp_path / 'ddp')
    cmd = [sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', *NO_REDIRECTS, os.path.join(TRAINING, 'train.py'),
           '--dataDir', small_dataset, '--saveDir', save, '--train_phase', 'end_to_end', '--nEpochs', '2', '--no_chart', *COMMON]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env={**os.environ, 'OMP_NUM_THREADS': '1'})
    assert proc.returncode == 0, proc.stderr[-3000:]
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith('{')]
    start = events[0]
    assert start['world_size'] == 2
    # 16 training images, batch 8 per process, 2 processes: one step per epoch, 16 images a step.
    assert start['steps_per_epoch'] == 1
    steps = [e for e in events if e['event'] == 'step']
    assert len(steps) == 2  # only rank 0 reports
    assert sorted(os.listdir(save)) == ['ckpt_epoch_0001.pth', 'ckpt_epoch_0002.pth', 'config.json']
