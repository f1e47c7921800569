"""
Synthetic people with exact alpha, for tests and smoke runs: a head, neck and shoulders drawn at
4× and box-downsampled (soft edges), hair strands of a pixel or less, a semi-transparent scarf,
composited I = aF + (1-a)B on textured backgrounds. Written in the studio's dataset layout.
"""
import os
import random

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SS = 4  # supersampling factor of the drawn silhouette


def _texture(rng, size, colour_a, colour_b):
    """Smooth noise blended with stripes or checks between two colours (H,W,3) float 0..255."""
    w, h = size
    coarse = rng.random((max(2, h // 8), max(2, w // 8)))
    noise = np.asarray(Image.fromarray((coarse * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC), np.float32) / 255
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = rng.uniform(4, 16)
    angle = rng.uniform(0, np.pi)
    pattern = 0.5 + 0.5 * np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
    t = np.clip(0.6 * noise + 0.4 * pattern * rng.uniform(0, 1), 0, 1)[..., None]
    return np.asarray(colour_a, np.float32) * (1 - t) + np.asarray(colour_b, np.float32) * t


def _colour(rng, lo=0, hi=255):
    return tuple(float(v) for v in rng.uniform(lo, hi, 3))


def make_sample(seed, size=96):
    """(image uint8 (H,W,3), alpha uint8 (H,W)) for one synthetic portrait of size×size pixels."""
    rng = np.random.default_rng(seed)
    pyr = random.Random(seed)
    s = size * SS
    solid = Image.new('L', (s, s), 0)
    d = ImageDraw.Draw(solid)
    cx = s * rng.uniform(0.4, 0.6)
    head_r = s * rng.uniform(0.13, 0.2)
    head_y = s * rng.uniform(0.3, 0.42)
    d.ellipse([cx - head_r * 0.85, head_y - head_r, cx + head_r * 0.85, head_y + head_r], fill=255)
    neck_w = head_r * 0.45
    d.rectangle([cx - neck_w, head_y + head_r * 0.6, cx + neck_w, head_y + head_r * 1.6], fill=255)
    shoulder_w = s * rng.uniform(0.28, 0.42)
    top = head_y + head_r * 1.4
    d.rounded_rectangle([cx - shoulder_w, top, cx + shoulder_w, s * 1.2], radius=int(head_r * 0.8), fill=255)
    # Hair: thin strands leaving the head's top, fractional coverage after downsampling.
    strands = Image.new('L', (s, s), 0)
    ds = ImageDraw.Draw(strands)
    for _ in range(int(rng.integers(10, 30))):
        a = rng.uniform(np.pi * 1.05, np.pi * 1.95)
        x0 = cx + np.cos(a) * head_r * 0.8
        y0 = head_y + np.sin(a) * head_r
        length = head_r * rng.uniform(0.3, 0.9)
        bend = rng.uniform(-0.4, 0.4)
        pts = [(x0 + np.cos(a + bend * t) * length * t, y0 + np.sin(a + bend * t) * length * t) for t in np.linspace(0, 1, 6)]
        ds.line(pts, fill=255, width=pyr.choice([1, 2, 3]))
    # A semi-transparent scarf across the shoulders.
    veil = Image.new('L', (s, s), 0)
    dv = ImageDraw.Draw(veil)
    opacity = int(rng.uniform(90, 190))
    dv.ellipse([cx - shoulder_w * 1.1, top - head_r * 0.3, cx + shoulder_w * 1.1, top + head_r * 0.9], fill=opacity)
    blur = float(rng.uniform(0, 2.5)) * SS
    solid = solid.filter(ImageFilter.GaussianBlur(blur)) if blur > 0.5 else solid
    cover = np.maximum(np.asarray(solid, np.float32), np.asarray(strands, np.float32))
    cover = np.maximum(cover, np.asarray(veil, np.float32))
    alpha = np.asarray(Image.fromarray(cover.astype(np.uint8)).resize((size, size), Image.BOX), np.uint8)
    # Colours are drawn from the same range for person and background: shape, not colour, tells them apart.
    fg = _texture(rng, (size, size), _colour(rng, 30, 230), _colour(rng, 30, 230))
    bg = _texture(rng, (size, size), _colour(rng), _colour(rng))
    a = alpha.astype(np.float32)[..., None] / 255
    image = np.clip(np.rint(a * fg + (1 - a) * bg), 0, 255).astype(np.uint8)
    return image, alpha


def write_dataset(root, count, size=96, seed=0, val_fraction=0.25):
    """Writes image/ mask/ alpha/ train.txt (and val.txt) under root; returns (train, val) names."""
    for sub in ('image', 'mask', 'alpha'):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    names = []
    for i in range(count):
        name = f'synth_{seed}_{i:04d}.png'
        image, alpha = make_sample(seed * 100003 + i, size)
        Image.fromarray(image).save(os.path.join(root, 'image', name))
        Image.fromarray(alpha).save(os.path.join(root, 'alpha', name))
        Image.fromarray(np.where(alpha >= 128, 255, 0).astype(np.uint8)).save(os.path.join(root, 'mask', name))
        names.append(name)
    n_val = int(round(count * val_fraction))
    train, val = names[n_val:], names[:n_val]
    with open(os.path.join(root, 'train.txt'), 'w') as f:
        f.writelines(n + '\n' for n in train)
    with open(os.path.join(root, 'val.txt'), 'w') as f:
        f.writelines(n + '\n' for n in val)
    return train, val
