"""A run continues from its checkpoint: stopping at epoch 2 and resuming to 3 equals one unbroken run."""
import os

import torch

from conftest import COMMON, run_script
from shm import checkpoint

ARGS = ['--train_phase', 'pre_train_m_net', '--save_epoch', '1', '--no_chart', *COMMON]


def _weights(path):
    state = checkpoint.load(path)
    return {**{f't.{k}': v for k, v in state['tnet'].items()}, **{f'm.{k}': v for k, v in state['mnet'].items()}}


def test_resumed_run_matches_unbroken_run(small_dataset, tmp_path):
    unbroken, broken = str(tmp_path / 'unbroken'), str(tmp_path / 'broken')
    run_script('train.py', ['--dataDir', small_dataset, '--saveDir', unbroken, '--nEpochs', '3', *ARGS])
    run_script('train.py', ['--dataDir', small_dataset, '--saveDir', broken, '--nEpochs', '2', *ARGS])
    # As if killed after epoch 2's checkpoint: --finetuning takes the newest, --nEpochs is the last epoch.
    _, events = run_script('train.py', ['--dataDir', small_dataset, '--saveDir', broken, '--nEpochs', '3', '--finetuning', *ARGS])
    assert events[0]['start_epoch'] == 3 and events[0]['resumed_from'].endswith('ckpt_epoch_0002.pth')
    assert {e['epoch'] for e in events if e['event'] == 'step'} == {3}
    a = _weights(os.path.join(unbroken, 'ckpt_epoch_0003.pth'))
    b = _weights(os.path.join(broken, 'ckpt_epoch_0003.pth'))
    before = _weights(os.path.join(broken, 'ckpt_epoch_0002.pth'))
    assert any(not torch.equal(before[k], b[k]) for k in b), 'epoch 3 trained nothing'
    for k in a:
        assert torch.allclose(a[k].float(), b[k].float(), atol=1e-5), k


def test_nothing_to_do_when_checkpoint_is_at_last_epoch(small_dataset, tmp_path):
    save = str(tmp_path / 'run')
    run_script('train.py', ['--dataDir', small_dataset, '--saveDir', save, '--nEpochs', '1', *ARGS])
    _, events = run_script('train.py', ['--dataDir', small_dataset, '--saveDir', save, '--nEpochs', '1', '--finetuning', *ARGS])
    assert events[-1]['event'] == 'done' and 'nothing to train' in events[-1]['message']
    assert not any(e['event'] == 'step' for e in events)


def test_atomic_checkpoint_leaves_no_temporary_files(small_dataset, tmp_path):
    save = str(tmp_path / 'run')
    run_script('train.py', ['--dataDir', small_dataset, '--saveDir', save, '--nEpochs', '1', *ARGS])
    assert sorted(os.listdir(save)) == ['ckpt_epoch_0001.pth', 'config.json']


def test_pretrained_checkpoint_or_encoder_weights_start_a_new_run(small_dataset, tmp_path, capsys):
    import train
    from shm.nets import TNet

    source = str(tmp_path / 'source')
    run_script('train.py', ['--dataDir', small_dataset, '--saveDir', source, '--nEpochs', '1', *ARGS])
    src = checkpoint.load(source)
    # M-Net phase: the T-Net is frozen and not run, so it must come out exactly as loaded.
    save = str(tmp_path / 'from-ckpt')
    assert train.main(['--dataDir', small_dataset, '--saveDir', save, '--nEpochs', '1', '--pretrained', src['path'], *ARGS]) == 0
    assert '"start_epoch": 1' in capsys.readouterr().out
    got = checkpoint.load(save)['tnet']
    assert all(torch.equal(got[k], v) for k, v in src['tnet'].items())

    torch.manual_seed(123)
    encoder = TNet().encoder.state_dict()
    enc_file = str(tmp_path / 'encoder.pth')
    torch.save(encoder, enc_file)
    save = str(tmp_path / 'from-encoder')
    assert train.main(['--dataDir', small_dataset, '--saveDir', save, '--nEpochs', '1', '--pretrained', enc_file, *ARGS]) == 0
    got = checkpoint.load(save)['tnet']
    assert all(torch.equal(got[f'encoder.{k}'], v) for k, v in encoder.items())


def test_killed_run_resumes_from_its_last_checkpoint(small_dataset, tmp_path):
    import json
    import signal
    import subprocess
    import sys

    from conftest import TRAINING

    save = str(tmp_path / 'killed')
    cmd = [sys.executable, os.path.join(TRAINING, 'train.py'), '--dataDir', small_dataset, '--saveDir', save, '--nEpochs', '50', *ARGS]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            event = json.loads(line)
            # Killed in the middle of epoch 2, after epoch 1's checkpoint.
            if event['event'] == 'step' and event['epoch'] == 2:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait()
    assert sorted(os.listdir(save)) == ['ckpt_epoch_0001.pth', 'config.json']
    _, events = run_script('train.py', ['--dataDir', small_dataset, '--saveDir', save, '--nEpochs', '2', '--finetuning', *ARGS])
    assert events[0]['start_epoch'] == 2 and events[-1]['event'] == 'done'
    assert os.path.isfile(os.path.join(save, 'ckpt_epoch_0002.pth'))
