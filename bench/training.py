"""
Training throughput of the SHM pair (end to end: T-Net → M-Net → fusion, paper losses, Adam),
in images/s at patch 320, batch 8, against a reference measured in the same run: the forward pass
alone on the same batch (so the ratio says what backward + optimiser cost, whatever the machine).
Also the data pipeline alone (decode, crop, jitter, trimap) to see whether it keeps up.

  /usr/bin/python3 bench/training.py [--patch 320] [--batch 8] [--steps 3] [--device auto] [--threads N] [--workers N]

On CUDA it also reports peak GPU memory and, when the data loader feeds the steps, how much of
the wall time the GPU waited for data.
"""
import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'training'))

import torch  # noqa: E402

from shm.data import MattingDataset  # noqa: E402
from shm.losses import end_to_end_loss  # noqa: E402
from shm.nets import SHMNet  # noqa: E402
from shm.synthetic import write_dataset  # noqa: E402


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize()


def timed(fn, steps, device):
    fn()  # warm-up: allocator, kernels, MKL-DNN primitives
    sync(device)
    t = time.perf_counter()
    for _ in range(steps):
        fn()
    sync(device)
    return (time.perf_counter() - t) / steps


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--patch', type=int, default=320)
    p.add_argument('--batch', type=int, default=8)
    p.add_argument('--steps', type=int, default=3)
    p.add_argument('--device', default='auto')
    p.add_argument('--threads', type=int, default=os.cpu_count() or 1)
    p.add_argument('--workers', type=int, default=0, help='data loader processes for the pipeline measurement')
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    device = torch.device('cuda' if a.device == 'auto' and torch.cuda.is_available() else ('cpu' if a.device == 'auto' else a.device))
    amp = device.type == 'cuda'
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as root:
        write_dataset(root, a.batch * 2, size=a.patch + a.patch // 4, seed=0, val_fraction=0)
        data = MattingDataset(root, os.path.join(root, 'train.txt'), a.patch, train=True)
        loader = torch.utils.data.DataLoader(data, batch_size=a.batch, shuffle=True, num_workers=a.workers, drop_last=True)
        batches = iter(loader)
        t = time.perf_counter()
        batch = next(batches)
        next(batches)
        data_s = (time.perf_counter() - t) / 2
    batch = {k: v.to(device) for k, v in batch.items()}
    net = SHMNet().to(device)
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    scaler = torch.cuda.amp.GradScaler() if amp else None

    def forward_only():
        with torch.no_grad(), torch.autocast(device_type=device.type, enabled=amp):
            net(batch['image'])

    def train_step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast(device_type=device.type, enabled=amp):
            logits, alpha_p, _ = net(batch['image'])
            loss, _, _ = end_to_end_loss(logits, alpha_p, batch)
        if scaler:
            scaler.scale(loss).backward()
            scaler.step(opt)
            scaler.update()
        else:
            loss.backward()
            opt.step()

    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats()
    net.train()
    step_s = timed(train_step, a.steps, device)
    fwd_s = timed(forward_only, a.steps, device)
    report = {
        'device': str(device) if device.type == 'cpu' else torch.cuda.get_device_name(device),
        'threads': a.threads, 'patch': a.patch, 'batch': a.batch, 'steps': a.steps, 'amp': amp, 'torch': torch.__version__,
        'train_images_per_s': round(a.batch / step_s, 3),
        'forward_images_per_s': round(a.batch / fwd_s, 3),
        'train_over_forward_time': round(step_s / fwd_s, 2),
        'data_pipeline_images_per_s': round(a.batch / data_s, 2),
        'data_keeps_up': data_s < step_s,
    }
    if device.type == 'cuda':
        report['peak_gpu_memory_mib'] = round(torch.cuda.max_memory_allocated(device) / 2**20)
    print(f"{report['device']}, {a.threads} threads, patch {a.patch}, batch {a.batch}: training {report['train_images_per_s']} images/s, "
          f"forward only {report['forward_images_per_s']} images/s (a step costs {report['train_over_forward_time']}x a forward); "
          f"data pipeline {report['data_pipeline_images_per_s']} images/s with {a.workers} workers ({'keeps up' if report['data_keeps_up'] else 'is the bottleneck'})")
    print(json.dumps(report))


if __name__ == '__main__':
    main()
