"""Validation metrics: SAD (/1000, alpha units), MSE, gradient error (Sobel, /1000), trimap accuracy."""
import torch
import torch.nn.functional as F

_SOBEL_X = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8


def _gradient(a):
    kx = _SOBEL_X.to(a)[None, None]
    ky = kx.transpose(-1, -2)
    p = F.pad(a, (1, 1, 1, 1), mode='replicate')
    return torch.sqrt(F.conv2d(p, kx) ** 2 + F.conv2d(p, ky) ** 2)


def alpha_metrics(pred, gt):
    """Per-batch sums over images (N,1,H,W) in 0..1: {'sad', 'mse', 'grad'} totals and count."""
    pred = pred.clamp(0, 1)
    diff = pred - gt
    return {
        'sad': diff.abs().sum(dim=(1, 2, 3)).div(1000).sum().item(),
        'mse': (diff ** 2).mean(dim=(1, 2, 3)).sum().item(),
        'grad': ((_gradient(pred) - _gradient(gt)) ** 2).sum(dim=(1, 2, 3)).div(1000).sum().item(),
    }


def trimap_accuracy(logits, trimap):
    return (logits.argmax(1) == trimap).float().mean(dim=(1, 2)).sum().item()
