"""PyTorch peer for tools/bench/supernet.bench.ts (optional; never a dependency).

Reads {"config", "arch", "batch", "steps", "warmup", "threads"} as JSON on stdin, builds the same
subnet as @cosearch/supernet's forward pass (stem conv+BN+ReLU; per stage a transition conv
(3x3 when strided, else 1x1)+BN+ReLU; MBConv = 1x1 expand, BN, ReLU6, depthwise kxk, BN, ReLU6,
1x1 project, BN, residual; ViT = +pos, LN, QKV, softmax(QK^T/sqrt(d))V, proj, residual, LN, MLP with
sigmoid-GELU, residual; global average pool; linear head), trains it with Adam on random data
and prints {"imagesPerSecond", "imagesPerCpuSecond", "threads", "torch"} as JSON.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class MBConv(nn.Module):
    def __init__(self, c, e, k):
        super().__init__()
        h = c * e
        self.expand = nn.Conv2d(c, h, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(h, eps=1e-3)
        self.dw = nn.Conv2d(h, h, k, padding=k // 2, groups=h, bias=False)
        self.bn2 = nn.BatchNorm2d(h, eps=1e-3)
        self.project = nn.Conv2d(h, c, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(c, eps=1e-3)

    def forward(self, x):
        y = F.relu6(self.bn1(self.expand(x)))
        y = F.relu6(self.bn2(self.dw(y)))
        return x + self.bn3(self.project(y))


class ViT(nn.Module):
    def __init__(self, c, n, heads, dh, mlp):
        super().__init__()
        self.heads, self.dh = heads, dh
        self.pos = nn.Parameter(torch.zeros(n, c))
        self.ln1 = nn.LayerNorm(c)
        self.qkv = nn.Linear(c, 3 * heads * dh)
        self.proj = nn.Linear(heads * dh, c)
        self.ln2 = nn.LayerNorm(c)
        self.mlp1 = nn.Linear(c, mlp * c)
        self.mlp2 = nn.Linear(mlp * c, c)

    def forward(self, x):
        b, c, hh, ww = x.shape
        t = x.flatten(2).transpose(1, 2) + self.pos
        q, k, v = self.qkv(self.ln1(t)).view(b, -1, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4)
        a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(self.dh), dim=-1) @ v
        t = t + self.proj(a.transpose(1, 2).reshape(b, -1, self.heads * self.dh))
        m = self.mlp1(self.ln2(t))
        t = t + self.mlp2(m * torch.sigmoid(1.702 * m))
        return t.transpose(1, 2).reshape(b, c, hh, ww)


def build(cfg, arch):
    layers = [nn.Conv2d(cfg["inputChannels"], cfg["stemChannels"], cfg["stemKernel"], cfg["stemStride"], cfg["stemKernel"] // 2, bias=False),
              nn.BatchNorm2d(cfg["stemChannels"], eps=1e-3), nn.ReLU()]
    c = cfg["stemChannels"]
    h = math.ceil(cfg["inputHeight"] / cfg["stemStride"])
    w = math.ceil(cfg["inputWidth"] / cfg["stemStride"])
    for st, sc in zip(arch["stages"], cfg["stages"]):
        k = 3 if sc["stride"] > 1 else 1
        layers += [nn.Conv2d(c, st["width"], k, sc["stride"], k // 2, bias=False), nn.BatchNorm2d(st["width"], eps=1e-3), nn.ReLU()]
        c = st["width"]
        h, w = math.ceil(h / sc["stride"]), math.ceil(w / sc["stride"])
        for b in st["blocks"]:
            if b["type"] == "mbconv":
                layers.append(MBConv(c, b["expansion"], b["kernel"]))
            else:
                layers.append(ViT(c, h * w, b["heads"], cfg["headDim"], b["mlpRatio"]))
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, cfg["numClasses"])]
    return nn.Sequential(*layers)


def main():
    req = json.load(sys.stdin)
    torch.set_num_threads(req.get("threads", 1))
    torch.manual_seed(0)
    cfg, arch, bs = req["config"], req["arch"], req["batch"]
    net = build(cfg, arch)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.rand(bs, cfg["inputChannels"], cfg["inputHeight"], cfg["inputWidth"])
    y = torch.randint(0, cfg["numClasses"], (bs,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(req["warmup"]):
        step()
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(req["steps"]):
        step()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    n = req["steps"] * bs
    print(json.dumps({"imagesPerSecond": n / wall, "imagesPerCpuSecond": n / cpu, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
