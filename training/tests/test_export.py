"""The exported pair passes the studio's manifest checks and parity, and `shm-studio matte` runs it."""
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image

from conftest import REPO, run_script
from shm import checkpoint
from shm.data import normalise
from shm.nets import MNet, TNet, fuse

SIZE = 96  # the validation images' size: the studio's resize is then the identity
needs_node = pytest.mark.skipif(
    shutil.which('node') is None or not os.path.isdir(os.path.join(REPO, 'node_modules', 'onnxruntime-node')),
    reason='Node.js and the studio\'s node_modules (npm ci) are needed for the parity check and the CLI')


@pytest.fixture(scope='module')
def exported(trained, tmp_path_factory):
    out = str(tmp_path_factory.mktemp('models'))
    _, events = run_script('export.py', ['--ckpt', trained['save'], '--id', 'synth', '--out', out, '--size', str(SIZE)])
    return out, events[-1]


@needs_node
def test_export_writes_pair_that_passes_studio_checks_and_parity(exported):
    out, report = exported
    assert report['checkpoint'].endswith('ckpt_epoch_0020.pth')  # a folder means its newest
    assert sorted(os.listdir(out)) == ['synth-mnet.json', 'synth-mnet.onnx', 'synth-tnet.json', 'synth-tnet.onnx']
    assert [m['id'] for m in report['models']] == ['synth-tnet', 'synth-mnet']
    for m in report['models']:
        assert m['max_abs_diff'] <= 1e-4, m
    with open(os.path.join(out, 'synth-tnet.json')) as f:
        tnet = json.load(f)
    assert tnet['role'] == 'trimap' and tnet['output']['classes'] == ['background', 'unknown', 'foreground']
    with open(os.path.join(out, 'synth-mnet.json')) as f:
        assert json.load(f)['input']['trimapChannels'] == ['background', 'unknown', 'foreground']


@needs_node
def test_studio_rejects_a_manifest_that_does_not_match_the_graph(exported, tmp_path):
    from shm.export_onnx import ExportError, run_node

    out, _ = exported
    with open(os.path.join(out, 'synth-mnet.json')) as f:
        manifest = json.load(f)
    manifest['input']['width'] = 128
    bad = tmp_path / 'synth-mnet.json'
    bad.write_text(json.dumps(manifest))
    with pytest.raises(ExportError, match='dimension 3 is 96, manifest implies 128'):
        run_node(os.path.join(out, 'synth-mnet.onnx'), str(bad), np.zeros((1, 6, SIZE, SIZE), np.float32))


@needs_node
def test_cli_mattes_with_the_pair_as_the_paper_does(exported, trained, dataset, tmp_path):
    models, _ = exported
    names = [n.strip() for n in open(os.path.join(dataset, 'val.txt'))][:3]
    inputs = tmp_path / 'in'
    inputs.mkdir()
    for n in names:
        shutil.copy(os.path.join(dataset, 'image', n), inputs / n)
    out = tmp_path / 'out'
    proc = subprocess.run(['node', os.path.join(REPO, 'bin', 'shm-studio.mjs'), 'matte', str(inputs), '--model', 'synth-tnet', '--refine', 'synth-mnet',
                           '--out', str(out), '--ep', 'cpu', '--json'], capture_output=True, text=True, timeout=300, cwd=REPO,
                          env={**os.environ, 'SHM_MODELS_DIR': models})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert json.loads(proc.stdout)['ok'] == len(names)

    state = checkpoint.load(trained['save'])
    tnet, mnet = TNet().eval(), MNet().eval()
    tnet.load_state_dict(state['tnet'])
    mnet.load_state_dict(state['mnet'])
    for n in names:
        png = Image.open(out / n)
        assert png.mode == 'RGBA' and png.size == (SIZE, SIZE)
        alpha = np.asarray(png, np.float32)[..., 3] / 255
        truth = np.asarray(Image.open(os.path.join(dataset, 'alpha', n)), np.float32) / 255
        # Sane: a person-sized opaque region, clear background, and far closer to the truth than nothing.
        assert 0.15 < (alpha > 0.5).mean() < 0.85
        assert np.abs(alpha - truth).sum() < 0.35 * truth.sum()
        # The paper's path: what PyTorch's T-Net → M-Net → fusion gives, to 8-bit rounding.
        rgb = torch.from_numpy(np.asarray(Image.open(inputs / n).convert('RGB'), np.float32) / 255).permute(2, 0, 1)[None]
        with torch.no_grad():
            image = normalise(rgb)
            prob = F.softmax(tnet(image), 1)
            expected = fuse(prob, mnet(torch.cat((image, prob), 1)).clamp(0, 1)).clamp(0, 1)[0, 0].numpy()
        assert np.abs(alpha - expected).max() < 3 / 255, np.abs(alpha - expected).max()
