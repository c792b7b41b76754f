# How the torch.save fixtures of the tests were made, with real PyTorch (Debian's python3-torch
# 1.13.1 and python3-torchvision 0.14.1, unpacked with `apt-get download` + `dpkg -x`, see
# shared/notes/dependencies.md). Run from the repository root:
#
#   python3 src/test/resources/io/lavmonitor/torch/make-fixtures.py
#
# It writes, values by formula (recomputed by StateDictReaderTest) unless said otherwise:
#   torch/state-dict.pth     a small state dict, pickle protocol 2 (torch.save's default)
#   torch/state-dict-p4.pth  the same dict with pickle protocol 4
#   embed/bottleneck.pth     one torchvision Bottleneck (stride 2, projection shortcut) with
#                            seeded random weights under "layer2.0.", an input and torchvision's
#                            output for it in eval mode (TorchvisionResNetTest)
#   embed/resnet50-keys.txt  name and shape of every entry of torchvision's resnet50 state dict
from collections import OrderedDict
import os

import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
EMBED = os.path.join(os.path.dirname(HERE), "embed")


def state_dict():
    sd = OrderedDict()
    sd["float32.contiguous"] = torch.arange(24, dtype=torch.float32).reshape(2, 3, 4) * 0.25 - 1
    base = torch.arange(12, dtype=torch.float32) + 100
    sd["shared.base"] = base
    # Views share base's storage: one with a storage offset, one transposed (strides 1, 3).
    sd["shared.offset"] = base[5:11].view(2, 3)
    sd["shared.transposed"] = base[:6].view(2, 3).t()
    sd["half"] = (torch.arange(8, dtype=torch.float32) / 8).half().view(2, 4)
    sd["bfloat16"] = torch.arange(4, dtype=torch.float32).bfloat16() * 2
    sd["double"] = torch.arange(5, dtype=torch.float64) / 3
    sd["int32"] = torch.arange(3, dtype=torch.int32) - 1
    sd["uint8"] = torch.tensor([0, 200, 255], dtype=torch.uint8)
    sd["bn.num_batches_tracked"] = torch.tensor(7)
    sd["scalar"] = torch.tensor(2.5)
    sd["empty"] = torch.zeros(0, 3)
    sd["deep.nested.module.weight"] = torch.arange(4, dtype=torch.float32).view(1, 2, 2) - 2
    sd["parameter"] = torch.nn.Parameter(torch.full((2,), 0.75))
    sd["nested"] = {"inner.weight": torch.arange(3, dtype=torch.float32) * -1}
    sd._metadata = OrderedDict([("", {"version": 1}), ("bn", {"version": 2})])
    return sd


def bottleneck():
    torch.manual_seed(0)
    down = torch.nn.Sequential(torch.nn.Conv2d(16, 16, 1, stride=2, bias=False),
                               torch.nn.BatchNorm2d(16))
    unit = torchvision.models.resnet.Bottleneck(16, 4, stride=2, downsample=down)
    with torch.no_grad():
        for m in unit.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0, 0.1)
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    unit.eval()
    x = torch.randn(1, 16, 7, 7)
    with torch.no_grad():
        y = unit(x)
    sd = OrderedDict(("layer2.0." + k, v) for k, v in unit.state_dict().items())
    sd["input"] = x
    sd["output"] = y
    return sd


def main():
    torch.save(state_dict(), os.path.join(HERE, "state-dict.pth"))
    torch.save(state_dict(), os.path.join(HERE, "state-dict-p4.pth"), pickle_protocol=4)
    torch.save(bottleneck(), os.path.join(EMBED, "bottleneck.pth"))
    with open(os.path.join(EMBED, "resnet50-keys.txt"), "w") as f:
        f.write("# torchvision %s resnet50().state_dict(): name, shape\n"
                % torchvision.__version__)
        for k, v in torchvision.models.resnet50().state_dict().items():
            f.write("%s %s\n" % (k, ",".join(str(d) for d in v.shape)))


if __name__ == "__main__":
    main()
