"""Bad input gives one clear error that names the file, never a traceback."""
import os
import shutil

import pytest
import torch
from PIL import Image

import export
import train
from conftest import COMMON

TRAIN = ['--train_phase', 'pre_train_t_net', '--nEpochs', '1', '--no_chart', *COMMON]


@pytest.fixture
def data(small_dataset, tmp_path):
    root = tmp_path / 'data'
    shutil.copytree(small_dataset, root)
    return root


def first(root):
    return open(root / 'train.txt').readline().strip()


def train_error(root, tmp_path, capsys, *extra):
    # In process (the entry point's main, as the command line calls it): no torch start-up per case.
    code = train.main(['--dataDir', str(root), '--saveDir', str(tmp_path / 'save'), *TRAIN, *extra])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out.splitlines()[-1].startswith('{"event": "error"')
    return err


def test_missing_image(data, tmp_path, capsys):
    os.remove(data / 'image' / first(data))
    assert f"missing image {data / 'image' / first(data)}" in train_error(data, tmp_path, capsys)


def test_missing_alpha_and_mask(data, tmp_path, capsys):
    name = first(data)
    os.remove(data / 'alpha' / name)
    os.remove(data / 'mask' / name)
    assert f"no alpha or mask for {data / 'image' / name}: expected {data / 'alpha' / name}" in train_error(data, tmp_path, capsys)


def test_mismatched_sizes(data, tmp_path, capsys):
    name = first(data)
    Image.new('L', (10, 12)).save(data / 'alpha' / name)
    assert f"{data / 'alpha' / name} is 10x12 but {data / 'image' / name} is 64x64" in train_error(data, tmp_path, capsys)


def test_corrupt_image(data, tmp_path, capsys):
    name = first(data)
    (data / 'image' / name).write_bytes(b'\x89PNG\r\n\x1a\n not really a png')
    assert f"cannot read image {data / 'image' / name}" in train_error(data, tmp_path, capsys)


def test_empty_train_list(data, tmp_path, capsys):
    (data / 'train.txt').write_text('\n')
    assert f"train list {data / 'train.txt'} is empty" in train_error(data, tmp_path, capsys)


def test_patch_size_not_a_multiple_of_32(data, tmp_path, capsys):
    assert '--patch_size 70 must be a multiple of 32' in train_error(data, tmp_path, capsys, '--patch_size', '70')


@pytest.mark.parametrize('content', ['state_dict', 'garbage'])
def test_checkpoint_that_is_not_the_trainers(data, tmp_path, capsys, content):
    ckpt = tmp_path / 'foreign.pth'
    if content == 'state_dict':
        torch.save({'weight': torch.zeros(3)}, ckpt)
        expected = f'{ckpt} is not a checkpoint of this trainer'
    else:
        ckpt.write_bytes(b'not a checkpoint at all')
        expected = f'{ckpt} is not a PyTorch checkpoint'
    assert expected in train_error(data, tmp_path, capsys, '--resume', str(ckpt))
    assert export.main(['--ckpt', str(ckpt), '--id', 'x', '--out', str(tmp_path / 'models')]) == 2
    assert expected in capsys.readouterr().err


def test_finetuning_without_checkpoint(data, tmp_path, capsys):
    assert f"--finetuning: no checkpoint (ckpt_epoch_*.pth) in {tmp_path / 'save'}" in train_error(data, tmp_path, capsys, '--finetuning')
