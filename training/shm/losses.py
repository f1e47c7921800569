"""The paper's losses: T-Net cross-entropy, alpha-prediction + compositional (0.5 each), L = Lp + λ·Lt."""
import torch
import torch.nn.functional as F

EPS = 1e-6
LAMBDA = 0.01


def trimap_loss(logits, trimap):
    return F.cross_entropy(logits, trimap)


def alpha_loss(alpha_p, alpha):
    return torch.sqrt((alpha_p - alpha) ** 2 + EPS).mean()


def composition_loss(alpha_p, alpha, rgb):
    # As the reference: the image seen through the predicted alpha against the true one.
    return torch.sqrt((alpha_p * rgb - alpha * rgb) ** 2 + EPS).mean()


def prediction_loss(alpha_p, alpha, rgb):
    return 0.5 * alpha_loss(alpha_p, alpha) + 0.5 * composition_loss(alpha_p, alpha, rgb)


def end_to_end_loss(logits, alpha_p, batch):
    lt = trimap_loss(logits, batch['trimap'])
    lp = prediction_loss(alpha_p, batch['alpha'], batch['rgb'])
    return lp + LAMBDA * lt, lp, lt
