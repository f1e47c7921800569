"""T-Net: MobileNetV2 encoder + U-Net decoder, 3 classes (background, unknown, foreground)."""
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(inp, oup, k=3, stride=1, relu=True):
    layers = [nn.Conv2d(inp, oup, k, stride, k // 2, bias=False), nn.BatchNorm2d(oup)]
    if relu:
        layers.append(nn.ReLU6(inplace=True))
    return nn.Sequential(*layers)


class InvertedResidual(nn.Module):
    def __init__(self, inp, oup, stride, expand):
        super().__init__()
        hidden = inp * expand
        self.residual = stride == 1 and inp == oup
        layers = [] if expand == 1 else [conv_bn(inp, hidden, 1)]
        layers += [
            nn.Conv2d(hidden, hidden, 3, stride, 1, groups=hidden, bias=False),
            nn.BatchNorm2d(hidden),
            nn.ReLU6(inplace=True),
            conv_bn(hidden, oup, 1, relu=False),
        ]
        self.conv = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.conv(x) if self.residual else self.conv(x)


def stage(inp, oup, n, stride, expand=6):
    return nn.Sequential(*[InvertedResidual(inp if i == 0 else oup, oup, stride if i == 0 else 1, expand) for i in range(n)])


class MobileNetV2Encoder(nn.Module):
    """MobileNetV2's (t, c, n, s) table; returns features at 1/2, 1/4, 1/8, 1/16, 1/32."""

    def __init__(self, in_channels=3):
        super().__init__()
        self.head = conv_bn(in_channels, 32, 3, 2)
        self.s1 = stage(32, 16, 1, 1, expand=1)  # 1/2
        self.s2 = stage(16, 24, 2, 2)  # 1/4
        self.s3 = stage(24, 32, 3, 2)  # 1/8
        self.s4 = nn.Sequential(stage(32, 64, 4, 2), stage(64, 96, 3, 1))  # 1/16
        self.s5 = nn.Sequential(stage(96, 160, 3, 2), stage(160, 320, 1, 1))  # 1/32

    def forward(self, x):
        f1 = self.s1(self.head(x))
        f2 = self.s2(f1)
        f3 = self.s3(f2)
        f4 = self.s4(f3)
        f5 = self.s5(f4)
        return f1, f2, f3, f4, f5


class Up(nn.Module):
    """×2 bilinear, conv to the skip's width, add the skip, fuse (the reference's decoder step)."""

    def __init__(self, inp, skip):
        super().__init__()
        self.reduce = nn.Sequential(nn.Conv2d(inp, skip, 3, 1, 1), nn.BatchNorm2d(skip), nn.ReLU(inplace=True))
        self.fuse = nn.Sequential(nn.Conv2d(skip, skip, 3, 1, 1), nn.BatchNorm2d(skip))

    def forward(self, x, skip):
        x = F.interpolate(x, size=skip.shape[-2:], mode='bilinear', align_corners=False)
        return self.fuse(self.reduce(x) + skip)


class TNet(nn.Module):
    """Image (N,3,H,W), H and W multiples of 32 → logits (N,3,H,W) in CLASSES order."""

    def __init__(self, classes=3):
        super().__init__()
        self.encoder = MobileNetV2Encoder()
        self.up4 = Up(320, 96)
        self.up3 = Up(96, 32)
        self.up2 = Up(32, 24)
        self.up1 = Up(24, 16)
        self.classifier = nn.Conv2d(16, classes, 3, 1, 1)

    def forward(self, x):
        f1, f2, f3, f4, f5 = self.encoder(x)
        y = self.up1(self.up2(self.up3(self.up4(f5, f4), f3), f2), f1)
        return F.interpolate(self.classifier(y), size=x.shape[-2:], mode='bilinear', align_corners=False)
