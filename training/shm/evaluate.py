"""Validation of the pair: the trimap's accuracy and the alpha's SAD/MSE/Grad, by the phase's path."""
import torch
import torch.nn.functional as F

from .metrics import alpha_metrics, trimap_accuracy
from .nets import fuse

# tnet: T-Net alone, alpha = Fs + Us/2; mnet: M-Net on the true trimap; shm: T-Net → M-Net → fusion.
MODES = ('tnet', 'mnet', 'shm')


def one_hot(trimap):
    return F.one_hot(trimap, 3).permute(0, 3, 1, 2).float()


@torch.no_grad()
def evaluate(tnet, mnet, loader, mode, device):
    tnet.eval()
    mnet.eval()
    totals = {'sad': 0.0, 'mse': 0.0, 'grad': 0.0, 'trimap_accuracy': 0.0}
    n = 0
    for batch in loader:
        image = batch['image'].to(device)
        alpha = batch['alpha'].to(device)
        trimap = batch['trimap'].to(device)
        logits = tnet(image)
        prob = F.softmax(logits, 1)
        if mode == 'tnet':
            pred = fuse(prob, torch.full_like(alpha, 0.5))
        else:
            tri = one_hot(trimap) if mode == 'mnet' else prob
            pred = fuse(tri, mnet(torch.cat((image, tri), 1)))
        for k, v in alpha_metrics(pred, alpha).items():
            totals[k] += v
        totals['trimap_accuracy'] += trimap_accuracy(logits, trimap)
        n += image.shape[0]
    return {k: v / max(n, 1) for k, v in totals.items()}
