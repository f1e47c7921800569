"""
SHM training: python3 training/train.py --dataDir D --saveDir S --train_phase pre_train_t_net|pre_train_m_net|end_to_end …
JSON lines of progress on stdout; a bar on stderr when it is a terminal. Several processes: torchrun.
"""
import argparse
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# OpenMP threads that sleep while they wait, set before torch loads libgomp: with the default
# (spinning) policy, on a CPU shared with other work PyTorch's two threads ran the T-Net's
# forward and backward 20x slower than with this (9.45 s against 0.46 s, batch 8 at 64 px, load 13
# on 2 cores).
os.environ.setdefault('OMP_WAIT_POLICY', 'PASSIVE')

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402

from shm import checkpoint  # noqa: E402
from shm.data import MattingDataset  # noqa: E402
from shm.errors import CheckpointError, TrainerError  # noqa: E402
from shm.evaluate import evaluate, one_hot  # noqa: E402
from shm.losses import end_to_end_loss, prediction_loss, trimap_loss  # noqa: E402
from shm.nets import SHMNet, fuse  # noqa: E402
from shm.progress import Progress, eta  # noqa: E402

PHASES = ('pre_train_t_net', 'pre_train_m_net', 'end_to_end')
EVAL_MODE = {'pre_train_t_net': 'tnet', 'pre_train_m_net': 'mnet', 'end_to_end': 'shm'}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='Train the SHM pair (T-Net, M-Net, end to end).')
    p.add_argument('--dataDir', required=True, help='dataset folder: image/ alpha/ (or mask/) train.txt')
    p.add_argument('--saveDir', required=True, help='checkpoints, config.json and progress.png go here')
    p.add_argument('--trainList', help='default: <dataDir>/train.txt')
    p.add_argument('--valList', help='default: <dataDir>/val.txt when present')
    p.add_argument('--backgroundDir', help='images to composite the people on, half of the time')
    p.add_argument('--patch_size', type=int, default=320)
    p.add_argument('--train_batch', type=int, default=8)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--lrdecayType', choices=('keep', 'step', 'poly'), default='keep')
    p.add_argument('--lrDecayEpochs', type=int, default=30, help='step decay: ×0.1 every this many epochs')
    p.add_argument('--nEpochs', type=int, default=100, help='the last epoch number (a resumed run trains up to it)')
    p.add_argument('--save_epoch', type=int, default=1)
    p.add_argument('--finetuning', action='store_true', help='continue from the newest checkpoint in --saveDir')
    p.add_argument('--resume', help='continue from this checkpoint file')
    p.add_argument('--pretrained', help="initial weights: a trainer checkpoint, or a state dict of the T-Net's encoder")
    p.add_argument('--train_phase', choices=PHASES, default='end_to_end')
    p.add_argument('--nThreads', type=int, default=0, help='data loading worker processes')
    p.add_argument('--cpuThreads', type=int, default=0, help='torch threads on CPU (default: all cores)')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--device', default='auto', help='auto | cpu | cuda | cuda:N')
    p.add_argument('--no_chart', action='store_true')
    return p.parse_args(argv)


def lr_at(args, epoch):
    if args.lrdecayType == 'step':
        return args.lr * 0.1 ** ((epoch - 1) // args.lrDecayEpochs)
    if args.lrdecayType == 'poly':
        return args.lr * (1 - (epoch - 1) / max(args.nEpochs, 1)) ** 0.9
    return args.lr


class Distributed:
    """torchrun's environment: rank, world size, and the backend for the device (NCCL, else gloo)."""

    def __init__(self, device):
        self.world = int(os.environ.get('WORLD_SIZE', '1'))
        self.rank = int(os.environ.get('RANK', '0'))
        self.local_rank = int(os.environ.get('LOCAL_RANK', '0'))
        if self.world > 1:
            dist.init_process_group('nccl' if device.type == 'cuda' else 'gloo')

    @property
    def main(self):
        return self.rank == 0

    def mean(self, value):
        if self.world == 1:
            return value
        t = torch.tensor([value], dtype=torch.float64)
        dist.all_reduce(t)
        return t.item() / self.world

    def close(self):
        if self.world > 1:
            dist.destroy_process_group()


def pick_device(name, local_rank):
    if name == 'auto':
        return torch.device(f'cuda:{local_rank}') if torch.cuda.is_available() else torch.device('cpu')
    device = torch.device(name)
    if device.type == 'cuda' and not torch.cuda.is_available():
        raise TrainerError('--device cuda: this PyTorch sees no CUDA device')
    if device.type == 'cuda' and device.index is None:
        device = torch.device(f'cuda:{local_rank}')
    return device


def load_pretrained(path, net):
    try:
        state = torch.load(path, map_location='cpu')
    except Exception as e:
        raise CheckpointError(f'{path} is not a PyTorch checkpoint: {e}') from e
    if isinstance(state, dict) and state.get('format') == checkpoint.FORMAT:
        checkpoint.load_weights(net.tnet, state['tnet'], path)
        checkpoint.load_weights(net.mnet, state['mnet'], path)
        return
    if not isinstance(state, dict) or not state:
        raise CheckpointError(f'{path} holds neither a trainer checkpoint nor a state dict')
    # An encoder state dict (e.g. ImageNet MobileNetV2 weights mapped to our names): partial load.
    try:
        _, unexpected = net.tnet.encoder.load_state_dict(state, strict=False)
    except RuntimeError as e:  # tensors of the right names and the wrong shapes
        raise CheckpointError(f"{path} does not fit the T-Net's encoder: {str(e).splitlines()[0]}") from e
    if len(unexpected) == len(state):
        raise CheckpointError(f"{path}: none of its {len(state)} tensors names a layer of the T-Net's encoder")


class PhaseStep(torch.nn.Module):
    """One training step's forward and loss for the phase; the module DDP wraps."""

    def __init__(self, net, phase):
        super().__init__()
        self.net, self.phase = net, phase

    def forward(self, batch):
        image = batch['image']
        if self.phase == 'pre_train_t_net':
            lt = trimap_loss(self.net.tnet(image), batch['trimap'])
            return lt, {'loss_t': lt.item()}
        if self.phase == 'pre_train_m_net':
            tri = one_hot(batch['trimap'])
            alpha_p = fuse(tri, self.net.mnet(torch.cat((image, tri), 1)))
            lp = prediction_loss(alpha_p, batch['alpha'], batch['rgb'])
            return lp, {'loss_p': lp.item()}
        logits, alpha_p, _ = self.net(image)
        loss, lp, lt = end_to_end_loss(logits, alpha_p, batch)
        return loss, {'loss_p': lp.item(), 'loss_t': lt.item()}


def trained_parameters(net, phase):
    """Only the phase's networks learn; the other's weights are frozen (DDP then expects no grads for them)."""
    trained = {'pre_train_t_net': [net.tnet], 'pre_train_m_net': [net.mnet], 'end_to_end': [net.tnet, net.mnet]}[phase]
    for module in (net.tnet, net.mnet):
        module.requires_grad_(module in trained)
    return [p for m in trained for p in m.parameters()]


def train(args):
    torch.set_num_threads(args.cpuThreads or os.cpu_count() or 1)
    device = pick_device(args.device, int(os.environ.get('LOCAL_RANK', '0')))
    ddp = Distributed(device)
    progress = Progress(enabled=ddp.main)
    try:
        run(args, device, ddp, progress)
    finally:
        ddp.close()


def run(args, device, ddp, progress):
    train_list = args.trainList or os.path.join(args.dataDir, 'train.txt')
    val_list = args.valList or os.path.join(args.dataDir, 'val.txt')
    train_set = MattingDataset(args.dataDir, train_list, args.patch_size, train=True, background_dir=args.backgroundDir)
    val_set = MattingDataset(args.dataDir, val_list, args.patch_size, train=False) if (args.valList or os.path.isfile(val_list)) else None

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    net = SHMNet()
    start_epoch = 1
    resume_from = args.resume or (checkpoint.newest(args.saveDir) if args.finetuning else None)
    if args.finetuning and not resume_from:
        raise CheckpointError(f'--finetuning: no checkpoint (ckpt_epoch_*.pth) in {args.saveDir}')
    state = None
    if resume_from:
        state = checkpoint.load(resume_from)
        checkpoint.load_weights(net.tnet, state['tnet'], state['path'])
        checkpoint.load_weights(net.mnet, state['mnet'], state['path'])
        start_epoch = state['epoch'] + 1
    elif args.pretrained:
        load_pretrained(args.pretrained, net)
    net.to(device)
    params = trained_parameters(net, args.train_phase)
    optimizer = torch.optim.Adam(params, lr=lr_at(args, start_epoch))
    amp = device.type == 'cuda'
    scaler = torch.cuda.amp.GradScaler() if amp else None
    if state is not None and state['phase'] == args.train_phase:
        optimizer.load_state_dict(state['optimizer'])
        if scaler is not None and state.get('scaler'):
            scaler.load_state_dict(state['scaler'])
    step_module = PhaseStep(net, args.train_phase)
    model = step_module
    if ddp.world > 1:
        model = torch.nn.parallel.DistributedDataParallel(step_module, device_ids=[device.index] if device.type == 'cuda' else None)

    sampler = torch.utils.data.distributed.DistributedSampler(train_set, ddp.world, ddp.rank, seed=args.seed) if ddp.world > 1 else None
    steps_per_epoch = math.ceil(len(train_set) / (ddp.world * args.train_batch)) if sampler else math.ceil(len(train_set) / args.train_batch)
    total_steps = steps_per_epoch * max(0, args.nEpochs - start_epoch + 1)
    progress.emit('start', phase=args.train_phase, device=str(device), world_size=ddp.world, start_epoch=start_epoch, last_epoch=args.nEpochs,
                  train_images=len(train_set), val_images=len(val_set) if val_set else 0, steps_per_epoch=steps_per_epoch,
                  resumed_from=state['path'] if state else None, amp=amp)
    if start_epoch > args.nEpochs:
        progress.emit('done', epoch=start_epoch - 1, message=f'nothing to train: the checkpoint is at epoch {start_epoch - 1}, --nEpochs is {args.nEpochs}')
        return

    val_loader = torch.utils.data.DataLoader(val_set, batch_size=args.train_batch, shuffle=False, num_workers=args.nThreads) if val_set else None
    done_steps = 0
    sec_per_step = float('nan')
    for epoch in range(start_epoch, args.nEpochs + 1):
        # Seeded per epoch: a resumed run sees the same batches and augmentations as an unbroken one.
        epoch_seed = args.seed * 100_003 + epoch * 1009 + ddp.rank
        torch.manual_seed(epoch_seed)
        if sampler:
            sampler.set_epoch(epoch)
        loader = torch.utils.data.DataLoader(train_set, batch_size=args.train_batch, shuffle=sampler is None, sampler=sampler,
                                             num_workers=args.nThreads, drop_last=False, pin_memory=device.type == 'cuda',
                                             persistent_workers=False)
        lr = lr_at(args, epoch)
        for g in optimizer.param_groups:
            g['lr'] = lr
        step_module.train()
        progress.start_epoch(epoch, steps_per_epoch)
        epoch_loss, t_epoch = 0.0, time.perf_counter()
        t_step = time.perf_counter()
        for step, batch in enumerate(loader, 1):
            batch = {k: v.to(device, non_blocking=True) for k, v in batch.items()}
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device.type, enabled=amp):
                loss, parts = model(batch)
            if not torch.isfinite(loss):
                raise TrainerError(f'loss became {loss.item()} at epoch {epoch} step {step}; lower --lr')
            if scaler:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                optimizer.step()
            now = time.perf_counter()
            dt, t_step = now - t_step, now
            sec_per_step = dt if math.isnan(sec_per_step) else 0.8 * sec_per_step + 0.2 * dt
            done_steps += 1
            epoch_loss += loss.item()
            images = batch['image'].shape[0] * ddp.world
            progress.step(epoch=epoch, step=step, steps=steps_per_epoch, global_step=(epoch - 1) * steps_per_epoch + step, loss=loss.item(), **parts, lr=lr,
                          images_per_s=round(images / max(dt, 1e-9), 2), eta_s=eta(sec_per_step, total_steps - done_steps))
        progress.end_epoch()
        summary = {'epoch': epoch, 'loss': ddp.mean(epoch_loss / max(step, 1)), 'seconds': round(time.perf_counter() - t_epoch, 2)}
        progress.emit('epoch', **summary)
        if val_loader and ddp.main:
            metrics = evaluate(net.tnet, net.mnet, val_loader, EVAL_MODE[args.train_phase], device)
            progress.emit('validation', epoch=epoch, mode=EVAL_MODE[args.train_phase], **{k: round(v, 6) for k, v in metrics.items()})
        if ddp.main and (epoch % args.save_epoch == 0 or epoch == args.nEpochs):
            path = checkpoint.save(args.saveDir, epoch, args.train_phase, net.tnet, net.mnet, optimizer, scaler, vars(args))
            progress.emit('checkpoint', epoch=epoch, path=path)
            if not args.no_chart:
                progress.chart(os.path.join(args.saveDir, 'progress.png'))
        if ddp.world > 1:
            dist.barrier()
    progress.emit('done', epoch=args.nEpochs)


def main(argv=None):
    args = parse_args(argv)
    try:
        train(args)
    except TrainerError as e:
        print(f'train.py: error: {e}', file=sys.stderr)
        print(f'{{"event": "error", "message": {__import__("json").dumps(str(e))}}}', flush=True)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
