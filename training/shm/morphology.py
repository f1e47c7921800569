"""Elliptical erode/dilate of binary masks (torch, no OpenCV): the paper's trimap preparation."""
import torch
import torch.nn.functional as F


def ellipse_kernel(ry, rx):
    yy, xx = torch.meshgrid(torch.arange(-ry, ry + 1, dtype=torch.float32), torch.arange(-rx, rx + 1, dtype=torch.float32), indexing='ij')
    return (((yy / max(ry, 0.5)) ** 2 + (xx / max(rx, 0.5)) ** 2) <= 1.0).float()


def _hits(mask, kernel):
    k = kernel[None, None]
    pad = (kernel.shape[1] // 2, kernel.shape[1] // 2, kernel.shape[0] // 2, kernel.shape[0] // 2)
    return F.conv2d(F.pad(mask[None, None].float(), pad), k)[0, 0]


def dilate(mask, kernel):
    return _hits(mask, kernel) > 0.5


def erode(mask, kernel):
    # Outside the image counts as "set": an eroded mask does not shrink away from the borders.
    k = kernel[None, None]
    pad = (kernel.shape[1] // 2, kernel.shape[1] // 2, kernel.shape[0] // 2, kernel.shape[0] // 2)
    hits = F.conv2d(F.pad(mask[None, None].float(), pad, value=1.0), k)[0, 0]
    return hits > kernel.sum() - 0.5


def trimap_from_alpha(alpha, erode_radius, dilate_radius):
    """alpha (H,W) in 0..1 → class map (H,W) long: 0 background, 1 unknown, 2 foreground."""
    fg = erode(alpha >= 0.999, ellipse_kernel(*erode_radius))
    maybe = dilate(alpha > 0.001, ellipse_kernel(*dilate_radius))
    trimap = torch.ones_like(alpha, dtype=torch.long)
    trimap[~maybe] = 0
    trimap[fg] = 2
    return trimap
