"""The trained pair → `<id>-tnet.onnx`/`.json` (role trimap) and `<id>-mnet.onnx`/`.json` (role matting)."""
import json
import os
import re
import shutil
import subprocess
import tempfile

import numpy as np
import torch
import torch.nn.functional as F

from . import checkpoint
from .data import CHANNEL_ORDER, MEAN, STD, normalise
from .errors import TrainerError
from .nets import CLASSES, MNet, TNet

ID = re.compile(r'^[a-z0-9][a-z0-9-]{0,58}$')
PARITY_TOLERANCE = 1e-4
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class ExportError(TrainerError):
    pass


def _input(name, size, trimap=False):
    spec = {
        'name': name, 'width': size, 'height': size, 'layout': 'NCHW', 'channelOrder': CHANNEL_ORDER,
        'normalize': {'mean': list(MEAN), 'std': list(STD)}, 'resize': 'stretch',
    }
    if trimap:
        spec['trimapChannels'] = list(CLASSES)
    return spec


def manifests(model_id, size, state):
    about = f"epoch {state['epoch']}, phase {state['phase']}"
    licence = {'name': 'trained by the user (SHM Studio trainer)'}
    tnet = {
        'id': f'{model_id}-tnet', 'name': f'SHM T-Net {model_id} ({about})', 'role': 'trimap',
        'input': _input('image', size),
        'output': {'name': 'trimap_logits', 'layout': 'NCHW', 'meaning': 'trimap-logits', 'activation': 'softmax', 'classes': list(CLASSES)},
        'license': licence, 'preparation': {'method': 'user-onnx'},
    }
    mnet = {
        'id': f'{model_id}-mnet', 'name': f'SHM M-Net {model_id} ({about})', 'role': 'matting',
        'input': _input('image_trimap', size, trimap=True),
        # alpha_r: the studio clamps it and fuses alpha = Fs + Us * alpha_r.
        'output': {'name': 'alpha_r', 'layout': 'NCHW', 'meaning': 'alpha', 'activation': 'none'},
        'license': licence, 'preparation': {'method': 'user-onnx'},
    }
    return tnet, mnet


def _export(module, example, path, input_name, output_name):
    torch.onnx.export(module, example, path, input_names=[input_name], output_names=[output_name], opset_version=11, do_constant_folding=True)


def parity_input(size, seed=0):
    """A synthetic portrait (not noise: realistic activations) as the network input, (1,3,S,S)."""
    from .synthetic import make_sample

    image, _ = make_sample(seed, size)
    rgb = torch.from_numpy(image.astype(np.float32) / 255).permute(2, 0, 1)[None]
    return normalise(rgb)


def run_node(onnx_path, manifest_path, array, node='node'):
    """The studio's checks and onnxruntime-node on `array`; returns onnxruntime's output."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, 'in.f32'), os.path.join(tmp, 'out.f32')
        np.ascontiguousarray(array, dtype='<f4').tofile(src)
        cmd = [node, '--import', 'tsx', os.path.join(REPO, 'scripts', 'onnx-parity.ts'), '--model', onnx_path, '--manifest', manifest_path,
               '--input', src, '--dims', ','.join(map(str, array.shape)), '--output', dst]
        try:
            proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
        except FileNotFoundError as e:
            raise ExportError(f'cannot run {node} for the parity check (Node.js is needed; --no_parity skips it): {e}') from e
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith('{')]
        report = json.loads(lines[-1]) if lines else {'ok': False, 'error': proc.stderr.strip()[-2000:]}
        if not report.get('ok'):
            raise ExportError(f"{os.path.basename(onnx_path)} failed the studio's checks: {report.get('error')}")
        return np.fromfile(dst, dtype='<f4').reshape([int(d) for d in report['outputDims']])


def export_pair(ckpt, model_id, out_dir, size=320, parity=True, node='node'):
    """Exports, validates and parity-checks in a temporary folder, then moves the four files into out_dir."""
    if not ID.match(model_id):
        raise ExportError(f'--id "{model_id}": lower-case letters, digits and dashes, at most 59 characters')
    if size % 32:
        raise ExportError(f'--size {size} must be a multiple of 32')
    state = checkpoint.load(ckpt)
    tnet, mnet = TNet().eval(), MNet().eval()
    checkpoint.load_weights(tnet, state['tnet'], state['path'])
    checkpoint.load_weights(mnet, state['mnet'], state['path'])
    os.makedirs(out_dir, exist_ok=True)
    specs = manifests(model_id, size, state)
    report = {'checkpoint': state['path'], 'epoch': state['epoch'], 'models': []}
    with tempfile.TemporaryDirectory(dir=out_dir, prefix='.export-') as tmp:
        image = parity_input(size)
        with torch.no_grad():
            logits = tnet(image)
            mnet_in = torch.cat((image, F.softmax(logits, 1)), 1)
            alpha_r = mnet(mnet_in)
        files = []
        for spec, module, example, expected in ((specs[0], tnet, image, logits), (specs[1], mnet, mnet_in, alpha_r)):
            onnx_path = os.path.join(tmp, f"{spec['id']}.onnx")
            manifest_path = os.path.join(tmp, f"{spec['id']}.json")
            _export(module, example, onnx_path, spec['input']['name'], spec['output']['name'])
            with open(manifest_path, 'w', encoding='utf-8') as f:
                json.dump(spec, f, indent=2)
                f.write('\n')
            entry = {'id': spec['id'], 'role': spec['role']}
            if parity:
                got = run_node(onnx_path, manifest_path, example.numpy(), node)
                diff = float(np.abs(got - expected.numpy()).max())
                entry['max_abs_diff'] = diff
                if not diff <= PARITY_TOLERANCE:
                    raise ExportError(f"{spec['id']}: onnxruntime-node and PyTorch differ by {diff:.3g} (> {PARITY_TOLERANCE})")
            report['models'].append(entry)
            files.append((onnx_path, manifest_path))
        # Weights first, manifests last: the studio lists a model only once its .onnx is in place.
        for onnx_path, _ in files:
            os.replace(onnx_path, os.path.join(out_dir, os.path.basename(onnx_path)))
        for _, manifest_path in files:
            shutil.move(manifest_path, os.path.join(out_dir, os.path.basename(manifest_path)))
    return report
