"""The data pipeline: trimaps from the alpha, crops/flips/jitter, new backgrounds, the paper's losses."""
import os

import numpy as np
import torch
from PIL import Image

from shm.data import MattingDataset
from shm.losses import LAMBDA, end_to_end_loss, prediction_loss
from shm.morphology import trimap_from_alpha
from shm.nets import SHMNet


def test_trimap_marks_every_fractional_alpha_unknown_and_keeps_sure_regions():
    alpha = torch.zeros(64, 64)
    alpha[16:48, 16:48] = 1
    alpha[16:48, 15] = 0.5  # a soft edge
    tri = trimap_from_alpha(alpha, (3, 2), (2, 3))
    frac = (alpha > 0) & (alpha < 1)
    assert (tri[frac] == 1).all()
    assert (tri[alpha == 0] != 2).all() and (tri[alpha == 1] != 0).all()
    assert tri[32, 32] == 2 and tri[0, 0] == 0
    # Elliptical, with the radii asked for: erosion takes 3 rows off the square (rows 16-18), dilation adds 3 columns (48-50).
    assert tri[16 + 2, 32] == 1 and tri[16 + 3, 32] == 2 and tri[32, 47 + 3] == 1 and tri[32, 47 + 4] == 0


def test_training_items_are_random_crops_with_consistent_targets(small_dataset):
    ds = MattingDataset(small_dataset, os.path.join(small_dataset, 'train.txt'), 32, train=True)
    torch.manual_seed(0)
    a, b = ds[0], ds[0]
    assert a['image'].shape == (3, 32, 32) and a['alpha'].shape == (1, 32, 32) and a['trimap'].shape == (32, 32)
    assert not torch.equal(a['rgb'], b['rgb'])  # a different crop, flip or jitter each time
    for item in (a, b):
        alpha, tri = item['alpha'][0], item['trimap']
        assert (tri[(alpha > 0.01) & (alpha < 0.99)] == 1).all()


def test_background_folder_composites_people_on_new_backgrounds(small_dataset, tmp_path):
    bg = tmp_path / 'bg'
    bg.mkdir()
    Image.fromarray(np.full((40, 50, 3), (255, 0, 255), np.uint8)).save(bg / 'magenta.png')
    ds = MattingDataset(small_dataset, os.path.join(small_dataset, 'train.txt'), 32, train=True, background_dir=str(bg))
    torch.manual_seed(1)
    seen = 0
    for _ in range(12):
        item = ds[0]
        outside = item['alpha'][0] < 0.01
        rgb = item['rgb'][:, outside]
        # Jitter scales colours by 0.8-1.2 and mixes them with grey: magenta stays red+blue >> green.
        if outside.any() and (rgb[0] - rgb[1]).mean() > 0.3 and (rgb[2] - rgb[1]).mean() > 0.3:
            seen += 1
    assert 2 <= seen <= 11  # about half the items, never all


def test_losses_follow_the_paper():
    alpha = torch.rand(2, 1, 8, 8)
    rgb = torch.rand(2, 3, 8, 8)
    assert prediction_loss(alpha, alpha, rgb).item() < 2e-3  # sqrt(eps) floor only
    logits = torch.zeros(2, 3, 8, 8)
    trimap = torch.zeros(2, 8, 8, dtype=torch.long)
    total, lp, lt = end_to_end_loss(logits, alpha * 0, {'alpha': alpha, 'rgb': rgb, 'trimap': trimap})
    assert torch.isclose(total, lp + LAMBDA * lt) and LAMBDA == 0.01
    assert torch.isclose(lt, torch.log(torch.tensor(3.0)))


def test_fusion_output_is_fs_plus_us_times_alpha_r():
    net = SHMNet().eval()
    with torch.no_grad():
        logits, alpha, alpha_r = net(torch.randn(1, 3, 64, 64))
        p = torch.softmax(logits, 1)
    assert torch.allclose(alpha, p[:, 2:3] + p[:, 1:2] * alpha_r)
