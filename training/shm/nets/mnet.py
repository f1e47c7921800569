"""M-Net: the paper's encoder-decoder on RGB + 3 trimap probabilities, channels as the light version."""
import torch.nn as nn


def cbr(inp, oup):
    return nn.Sequential(nn.Conv2d(inp, oup, 3, 1, 1, bias=False), nn.BatchNorm2d(oup), nn.ReLU(inplace=True))


class MNet(nn.Module):
    """(N,6,H,W), H and W multiples of 16 → raw alpha_r (N,1,H,W); the fusion turns it into alpha."""

    def __init__(self, in_channels=6):
        super().__init__()
        widths = [16, 32, 64, 128]
        enc, prev = [], in_channels
        for w in widths:
            enc += [cbr(prev, w), nn.MaxPool2d(3, 2, 1)]
            prev = w
        enc.append(cbr(prev, 128))
        self.encoder = nn.Sequential(*enc)
        dec, prev = [], 128
        for w in reversed(widths):
            dec += [cbr(prev, w), nn.ConvTranspose2d(w, w, 5, 2, 2, output_padding=1, bias=False)]
            prev = w
        self.decoder = nn.Sequential(*dec)
        self.head = nn.Conv2d(16, 1, 5, 1, 2, bias=False)

    def forward(self, x):
        return self.head(self.decoder(self.encoder(x)))
