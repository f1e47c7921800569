"""The paper's pair and fusion layer: alpha = Fs + Us * alpha_r."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .mnet import MNet
from .tnet import TNet

# Channel order of the T-Net's output and of the M-Net's trimap input (the studio's class names).
CLASSES = ('background', 'unknown', 'foreground')
BG, UNKNOWN, FG = 0, 1, 2


def fuse(trimap_prob, alpha_r):
    """SHM fusion (eq. 1) from softmax probabilities (N,3,H,W) and the M-Net's alpha_r (N,1,H,W)."""
    return trimap_prob[:, FG:FG + 1] + trimap_prob[:, UNKNOWN:UNKNOWN + 1] * alpha_r


class SHMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.tnet = TNet()
        self.mnet = MNet()

    def forward(self, image):
        logits = self.tnet(image)
        prob = F.softmax(logits, dim=1)
        alpha_r = self.mnet(torch.cat((image, prob), 1))
        return logits, fuse(prob, alpha_r), alpha_r
