"""Training learns: T-Net beats measured baselines; end to end beats T-Net alone and a fixed SAD."""
import os

import torch

from conftest import PATCH
from shm import checkpoint
from shm.data import MattingDataset
from shm.evaluate import evaluate
from shm.nets import MNet, TNet

# Measured on this synthetic set (seed 1, 16 validation images at 64 px, one torch thread):
#   trimap accuracy: majority class 0.419, untrained T-Net 0.419 (one class everywhere),
#   after 10 epochs of T-Net pre-training 0.819.
#   SAD (/1000 per image): T-Net alone (Fs + Us/2) after pre-training 0.803; at epoch 20 (end to
#   end) T-Net alone 0.478, T-Net → M-Net → fusion 0.345.
SAD_CEILING = 0.6


def _nets(path):
    state = checkpoint.load(path)
    tnet, mnet = TNet(), MNet()
    tnet.load_state_dict(state['tnet'])
    mnet.load_state_dict(state['mnet'])
    return tnet, mnet


def _val_loader(dataset):
    val = MattingDataset(dataset, os.path.join(dataset, 'val.txt'), PATCH, train=False)
    return torch.utils.data.DataLoader(val, batch_size=16)


def test_tnet_beats_majority_class_and_untrained_net(dataset, trained):
    loader = _val_loader(dataset)
    trimaps = torch.cat([b['trimap'] for b in loader])
    majority = torch.bincount(trimaps.flatten(), minlength=3).max().item() / trimaps.numel()
    torch.manual_seed(0)
    untrained = evaluate(TNet(), MNet(), loader, 'tnet', 'cpu')['trimap_accuracy']
    after = evaluate(*_nets(os.path.join(trained['save'], 'ckpt_epoch_0010.pth')), loader, 'tnet', 'cpu')['trimap_accuracy']
    assert after > max(majority, untrained) + 0.12, (majority, untrained, after)


def test_end_to_end_beats_tnet_alone_and_fixed_sad(dataset, trained):
    loader = _val_loader(dataset)
    tnet, mnet = _nets(os.path.join(trained['save'], 'ckpt_epoch_0020.pth'))
    alone = evaluate(tnet, mnet, loader, 'tnet', 'cpu')
    shm = evaluate(tnet, mnet, loader, 'shm', 'cpu')
    pretrained_only = evaluate(*_nets(os.path.join(trained['save'], 'ckpt_epoch_0010.pth')), loader, 'tnet', 'cpu')
    assert shm['sad'] < 0.9 * alone['sad'], (shm, alone)
    assert shm['sad'] < 0.8 * pretrained_only['sad'], (shm, pretrained_only)
    assert shm['sad'] < SAD_CEILING, shm
    assert shm['mse'] < alone['mse']


def test_progress_stream_checkpoints_and_chart(trained):
    events = trained['e2e_events']
    start = events[0]
    assert start['event'] == 'start' and start['start_epoch'] == 11 and start['resumed_from'].endswith('ckpt_epoch_0010.pth')
    steps = [e for e in events if e['event'] == 'step']
    assert steps and {'epoch', 'step', 'loss', 'loss_p', 'loss_t', 'lr', 'images_per_s', 'eta_s'} <= steps[0].keys()
    assert steps[-1]['eta_s'] == 0
    vals = [e for e in events if e['event'] == 'validation']
    assert [v['epoch'] for v in vals] == list(range(11, 21))
    assert {'sad', 'mse', 'grad', 'trimap_accuracy'} <= vals[0].keys()
    assert events[-1]['event'] == 'done'
    # Checkpoints every --save_epoch (5) and at the last epoch; the flags and the chart beside them.
    names = sorted(f for f in os.listdir(trained['save']) if f.endswith('.pth'))
    assert names == ['ckpt_epoch_0005.pth', 'ckpt_epoch_0010.pth', 'ckpt_epoch_0015.pth', 'ckpt_epoch_0020.pth']
    assert os.path.isfile(os.path.join(trained['save'], 'config.json'))
    with open(os.path.join(trained['save'], 'progress.png'), 'rb') as f:
        assert f.read(8) == b'\x89PNG\r\n\x1a\n'
