"""
The studio's dataset export (`image/ mask/ trimap/ alpha/ train.txt`, the reference layout) as a
torch Dataset: random crops (and rescaled larger ones), flips, colour jitter, optional new
backgrounds, and trimaps made on the fly from the alpha (or mask) by random elliptical
erode/dilate. Every file is checked when the dataset opens, so a bad one is named up front.
"""
import os
import random

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, UnidentifiedImageError

from .errors import DatasetError
from .morphology import trimap_from_alpha

# The network's input: BGR, (v - mean) / std on 0..255 values (the reference's convention).
CHANNEL_ORDER = 'BGR'
MEAN = (104.0, 112.0, 121.0)
STD = (255.0, 255.0, 255.0)
IMAGE_EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.webp')


def normalise(rgb01):
    """(N,3,H,W) RGB in 0..1 → the network's input tensor."""
    bgr = rgb01.flip(1) * 255.0
    mean = torch.tensor(MEAN, dtype=rgb01.dtype, device=rgb01.device).view(1, 3, 1, 1)
    std = torch.tensor(STD, dtype=rgb01.dtype, device=rgb01.device).view(1, 3, 1, 1)
    return (bgr - mean) / std


def read_list(path):
    if not os.path.isfile(path):
        raise DatasetError(f'train list {path} does not exist')
    with open(path, encoding='utf-8') as f:
        names = [line.strip() for line in f if line.strip() and not line.startswith('#')]
    if not names:
        raise DatasetError(f'train list {path} is empty: it must name at least one image of image/')
    return names


def _open(path, mode):
    try:
        with Image.open(path) as im:
            im.load()
            return im.convert(mode)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise DatasetError(f'cannot read image {path}: {e}') from e


def _size(path):
    try:
        with Image.open(path) as im:
            return im.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise DatasetError(f'cannot read image {path}: {e}') from e


class Sample:
    def __init__(self, image, alpha, source):
        self.image, self.alpha, self.source = image, alpha, source


def resolve(root, names):
    """Each listed name → (image path, alpha or mask path), all checked to exist and to match in size."""
    out = []
    for name in names:
        image = os.path.join(root, 'image', name)
        if not os.path.isfile(image):
            raise DatasetError(f'missing image {image} (listed in the train list)')
        stem = os.path.splitext(name)[0]
        candidates = [os.path.join(root, sub, stem + '.png') for sub in ('alpha', 'mask')]
        target = next((c for c in candidates if os.path.isfile(c)), None)
        if target is None:
            raise DatasetError(f'no alpha or mask for {image}: expected {candidates[0]} or {candidates[1]}')
        si, st = _size(image), _size(target)
        if si != st:
            raise DatasetError(f'{target} is {st[0]}x{st[1]} but {image} is {si[0]}x{si[1]}')
        out.append(Sample(image, target, 'alpha' if target == candidates[0] else 'mask'))
    return out


def _to_tensor(im):
    a = torch.from_numpy(np.asarray(im, dtype=np.float32) / 255.0)
    return a.permute(2, 0, 1) if a.dim() == 3 else a[None]


class MattingDataset(torch.utils.data.Dataset):
    """Items: image (3,P,P) normalised, rgb (3,P,P) 0..1, alpha (1,P,P) 0..1, trimap (P,P) classes."""

    def __init__(self, root, list_file, patch_size, train=True, background_dir=None):
        if patch_size % 32:
            raise DatasetError(f'--patch_size {patch_size} must be a multiple of 32 (the T-Net downsamples 32x)')
        if not os.path.isdir(root):
            raise DatasetError(f'dataset folder {root} does not exist')
        self.root, self.patch, self.train = root, patch_size, train
        self.samples = resolve(root, read_list(list_file))
        self.backgrounds = []
        if background_dir:
            if not os.path.isdir(background_dir):
                raise DatasetError(f'background folder {background_dir} does not exist')
            self.backgrounds = sorted(os.path.join(background_dir, f) for f in os.listdir(background_dir) if f.lower().endswith(IMAGE_EXTENSIONS))
            if not self.backgrounds:
                raise DatasetError(f'background folder {background_dir} holds no images')

    def __len__(self):
        return len(self.samples)

    def _crop(self, rgb, alpha, rnd):
        """A random square crop of patch·{1, 1.5, 2} pixels (bounded by the image), resized to the patch."""
        _, h, w = rgb.shape
        side = min(h, w, int(self.patch * rnd.choice([1.0, 1.5, 2.0])))
        y, x = rnd.randint(0, h - side), rnd.randint(0, w - side)
        rgb, alpha = rgb[:, y:y + side, x:x + side], alpha[:, y:y + side, x:x + side]
        return self._resize(rgb, alpha)

    def _resize(self, rgb, alpha):
        size = (self.patch, self.patch)
        if rgb.shape[-2:] != size:
            rgb = F.interpolate(rgb[None], size=size, mode='bilinear', align_corners=False)[0]
            alpha = F.interpolate(alpha[None], size=size, mode='bilinear', align_corners=False)[0]
        return rgb.clamp(0, 1), alpha.clamp(0, 1)

    def _jitter(self, rgb, rnd):
        brightness = rnd.uniform(0.8, 1.2)
        contrast = rnd.uniform(0.8, 1.2)
        saturation = rnd.uniform(0.8, 1.2)
        grey = rgb.mean(0, keepdim=True)
        rgb = grey + (rgb - grey) * saturation
        rgb = rgb.mean() + (rgb - rgb.mean()) * contrast
        return (rgb * brightness).clamp(0, 1)

    def _composite(self, rgb, alpha, rnd):
        bg = _to_tensor(_open(rnd.choice(self.backgrounds), 'RGB'))
        bg = F.interpolate(bg[None], size=rgb.shape[-2:], mode='bilinear', align_corners=False)[0]
        return alpha * rgb + (1 - alpha) * bg

    def __getitem__(self, index):
        s = self.samples[index]
        rgb = _to_tensor(_open(s.image, 'RGB'))
        alpha = _to_tensor(_open(s.alpha, 'L'))
        if self.train:
            rnd = random.Random(torch.randint(0, 2**31, ()).item())  # follows torch's seed, per worker
            rgb, alpha = self._crop(rgb, alpha, rnd)
            if rnd.random() < 0.5:
                rgb, alpha = rgb.flip(-1), alpha.flip(-1)
            if self.backgrounds and rnd.random() < 0.5:
                rgb = self._composite(rgb, alpha, rnd)
            rgb = self._jitter(rgb, rnd)
            radius = max(2, self.patch // 16)
            er = (rnd.randint(1, radius), rnd.randint(1, radius))
            di = (rnd.randint(1, radius), rnd.randint(1, radius))
        else:
            rgb, alpha = self._resize(rgb, alpha)
            r = max(2, self.patch // 24)
            er = di = (r, r)
        trimap = trimap_from_alpha(alpha[0], er, di)
        return {'image': normalise(rgb[None])[0], 'rgb': rgb, 'alpha': alpha, 'trimap': trimap}
