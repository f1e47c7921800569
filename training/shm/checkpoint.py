"""Checkpoints: written atomically (temporary file + rename), recognised by a format tag on load."""
import glob
import json
import os
import re

import torch

from .errors import CheckpointError

FORMAT = 'shm-studio-trainer'
VERSION = 1
PATTERN = re.compile(r'^ckpt_epoch_(\d+)\.pth$')


def path_for(save_dir, epoch):
    return os.path.join(save_dir, f'ckpt_epoch_{epoch:04d}.pth')


def save(save_dir, epoch, phase, tnet, mnet, optimizer, scaler, args):
    os.makedirs(save_dir, exist_ok=True)
    state = {
        'format': FORMAT,
        'version': VERSION,
        'epoch': epoch,
        'phase': phase,
        'tnet': tnet.state_dict(),
        'mnet': mnet.state_dict(),
        'optimizer': optimizer.state_dict(),
        'scaler': scaler.state_dict() if scaler is not None else None,
        'args': args,
        'rng': torch.get_rng_state(),
    }
    target = path_for(save_dir, epoch)
    tmp = f'{target}.{os.getpid()}.tmp'
    with open(tmp, 'wb') as f:
        torch.save(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, target)
    # The flags beside each run (as torchvision's references do), for people and for export.
    config_tmp = os.path.join(save_dir, f'.config.{os.getpid()}.tmp')
    with open(config_tmp, 'w', encoding='utf-8') as f:
        json.dump(args, f, indent=2, sort_keys=True)
    os.replace(config_tmp, os.path.join(save_dir, 'config.json'))
    return target


def newest(save_dir):
    """The checkpoint of the highest epoch in save_dir, or None."""
    found = []
    for p in glob.glob(os.path.join(glob.escape(save_dir), 'ckpt_epoch_*.pth')):
        m = PATTERN.match(os.path.basename(p))
        if m:
            found.append((int(m.group(1)), p))
    return max(found)[1] if found else None


def load(path):
    """The trainer's checkpoint at path (a file, or a save folder: its newest), checked to be ours."""
    if os.path.isdir(path):
        found = newest(path)
        if not found:
            raise CheckpointError(f'no checkpoint (ckpt_epoch_*.pth) in {path}')
        path = found
    if not os.path.isfile(path):
        raise CheckpointError(f'checkpoint {path} does not exist')
    try:
        state = torch.load(path, map_location='cpu')
    except Exception as e:  # torch raises many kinds for a file that is not a checkpoint
        raise CheckpointError(f'{path} is not a PyTorch checkpoint: {e}') from e
    if not isinstance(state, dict) or state.get('format') != FORMAT:
        raise CheckpointError(f'{path} is not a checkpoint of this trainer (no "format": "{FORMAT}")')
    if state.get('version') != VERSION:
        raise CheckpointError(f'{path} is version {state.get("version")} of the trainer\'s checkpoints; this trainer reads version {VERSION}')
    state['path'] = path
    return state


def load_weights(module, weights, where):
    try:
        module.load_state_dict(weights)
    except RuntimeError as e:
        raise CheckpointError(f'{where} does not fit the network: {str(e).splitlines()[0]}') from e
