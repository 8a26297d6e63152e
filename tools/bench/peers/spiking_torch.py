"""PyTorch peer for tools/bench/spiking.bench.ts (optional; never a dependency).

Reads {"arch", "steps", "batch", "iters", "warmup", "threads", "leak", "threshold", "slope"} as JSON
on stdin and trains the same spiking network and time loop as @cosearch/spiking's `snnForward`
(surrogate-gradient BPTT): per time step and layer v <- leak*v + W*s_in + b, s = H(v - theta) with
the sigmoid-derivative surrogate k*sig(kx)(1 - sig(kx)) in the backward pass, subtractive reset
v <- v - s*theta; 'valid' convolutions; loss = softmax cross-entropy on the output spike counts;
Adam. Inputs are random rate-coded spike trains [T, batch, H*W*C]. Prints {"imagesPerSecond",
"imagesPerCpuSecond", "threads", "torch"} as JSON.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Spike(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, slope):
        ctx.save_for_backward(x)
        ctx.slope = slope
        return (x >= 0).float()

    @staticmethod
    def backward(ctx, dy):
        (x,) = ctx.saved_tensors
        s = torch.sigmoid(ctx.slope * x)
        return dy * ctx.slope * s * (1 - s), None


class Snn(nn.Module):
    def __init__(self, arch):
        super().__init__()
        h, w, c = arch["inputShape"]
        self.layers = nn.ModuleList()
        self.kinds = []
        self.shapes = []
        for d in arch["hidden"] + [{"kind": "dense", "units": arch["classes"]}]:
            if d["kind"] == "conv":
                self.layers.append(nn.Conv2d(c, d["filters"], d["kernel"], stride=d["stride"]))
                h = (h - d["kernel"]) // d["stride"] + 1
                w = (w - d["kernel"]) // d["stride"] + 1
                c = d["filters"]
                self.kinds.append("conv")
                self.shapes.append((c, h, w))
            else:
                self.layers.append(nn.Linear(h * w * c, d["units"]))
                h, w, c = 1, 1, d["units"]
                self.kinds.append("dense")
                self.shapes.append((d["units"],))
        self.input_shape = arch["inputShape"]

    def forward(self, spikes, leak, theta, slope):
        T, B, _ = spikes.shape
        H, W, C = self.input_shape
        v = [torch.zeros((B,) + s) for s in self.shapes]
        count = 0
        for t in range(T):
            x = spikes[t].reshape(B, H, W, C).permute(0, 3, 1, 2)
            for i, (layer, kind) in enumerate(zip(self.layers, self.kinds)):
                if kind == "dense":
                    x = x.reshape(B, -1)
                u = leak * v[i] + layer(x)
                s = Spike.apply(u - theta, slope)
                v[i] = u - s * theta
                x = s
            count = count + x
        return count


def main():
    a = json.loads(sys.stdin.read())
    torch.set_num_threads(a["threads"])
    torch.manual_seed(0)
    net = Snn(a["arch"])
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    H, W, C = a["arch"]["inputShape"]
    B, T = a["batch"], a["steps"]
    x = (torch.rand(T, B, H * W * C) < torch.rand(1, B, H * W * C) * 0.5).float()
    y = torch.randint(0, a["arch"]["classes"], (B,))

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(net(x, a["leak"], a["threshold"], a["slope"]), y)
        loss.backward()
        opt.step()

    for _ in range(a["warmup"]):
        step()
    w0, c0 = time.perf_counter(), time.process_time()
    for _ in range(a["iters"]):
        step()
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    n = a["iters"] * B
    print(json.dumps({"imagesPerSecond": n / wall, "imagesPerCpuSecond": n / cpu, "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
