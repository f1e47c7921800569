import json
import os
import subprocess
import sys

import pytest
import torch

TRAINING = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TRAINING)
sys.path.insert(0, TRAINING)
# One thread each: on a loaded two-core machine OpenMP's spinning threads made steps 20x slower.
torch.set_num_threads(1)

from shm.synthetic import write_dataset  # noqa: E402

# Tiny runs that still learn: 48 training / 16 validation portraits at 96 px, 64 px patches.
PATCH = 64
COMMON = ['--patch_size', str(PATCH), '--train_batch', '8', '--cpuThreads', '1', '--seed', '0']


def run_script(script, args, env=None, check=True, timeout=600):
    """Runs a trainer entry point as a user would; returns (process, JSON events from stdout)."""
    proc = subprocess.run([sys.executable, os.path.join(TRAINING, script), *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith('{')]
    if check and proc.returncode != 0:
        raise AssertionError(f'{script} exited {proc.returncode}:\n{proc.stderr[-3000:]}')
    return proc, events


@pytest.fixture(autouse=True)
def one_thread():
    yield
    torch.set_num_threads(1)  # entry points called in process (export.main) set their own


@pytest.fixture(scope='session')
def dataset(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthetic'))
    write_dataset(root, 64, size=96, seed=1)
    return root


@pytest.fixture(scope='session')
def small_dataset(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('small'))
    write_dataset(root, 20, size=64, seed=2, val_fraction=0.2)
    return root


@pytest.fixture(scope='session')
def trained(dataset, tmp_path_factory):
    """T-Net pre-trained 10 epochs, then end to end up to epoch 20 (the paper's two phases)."""
    save = str(tmp_path_factory.mktemp('run'))
    _, t_events = run_script('train.py', ['--dataDir', dataset, '--saveDir', save, '--train_phase', 'pre_train_t_net', '--nEpochs', '10', '--lr', '3e-3',
                                          '--save_epoch', '5', *COMMON])
    _, e_events = run_script('train.py', ['--dataDir', dataset, '--saveDir', save, '--train_phase', 'end_to_end', '--finetuning', '--nEpochs', '20', '--lr', '1e-3',
                                          '--save_epoch', '5', *COMMON])
    return {'save': save, 'tnet_events': t_events, 'e2e_events': e_events}
