"""Writes views.pt: a torch.save-style zip (pickle protocol 2, stored entries) without needing torch.

The pickle uses the same globals torch.save writes (torch._utils._rebuild_tensor_v2, torch.<Type>Storage,
collections.OrderedDict with a _metadata attribute) and exercises what golden checkpoints do not: strided views,
storage offsets, shared storages, F16 and BF16 storages. Values are checked in TorchCheckpointTest.
"""
import collections, pickle, struct, sys, types, zipfile

torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")
sys.modules["torch"], sys.modules["torch._utils"] = torch, utils
for name in ("FloatStorage", "HalfStorage", "BFloat16Storage"):
    cls = type(name, (), {"__module__": "torch"})
    setattr(torch, name, cls)


def _rebuild_tensor_v2(*args):
    raise NotImplementedError


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2


class Storage:
    def __init__(self, cls, key, numel):
        self.cls, self.key, self.numel = cls, key, numel


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return _rebuild_tensor_v2, self.args


class TorchLikePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return "storage", obj.cls, obj.key, "cpu", obj.numel
        return None


f32 = Storage(torch.FloatStorage, "0", 6)
f16 = Storage(torch.HalfStorage, "1", 4)
bf16 = Storage(torch.BFloat16Storage, "2", 2)
state = collections.OrderedDict()
state["a"] = Tensor(f32, 0, (2, 3), (3, 1))
state["a_t"] = Tensor(f32, 0, (3, 2), (1, 3))
state["a_tail"] = Tensor(f32, 4, (2,), (1,))
state["h"] = Tensor(f16, 0, (4,), (1,))
state["bf"] = Tensor(bf16, 0, (2,), (1,))
state._metadata = collections.OrderedDict({"": {"version": 1}})

buf = __import__("io").BytesIO()
TorchLikePickler(buf, protocol=2).dump(state)
with zipfile.ZipFile("views.pt", "w", compression=zipfile.ZIP_STORED) as z:
    z.writestr("views/data.pkl", buf.getvalue())
    z.writestr("views/data/0", struct.pack("<6f", 0, 1, 2, 3, 4, 5))
    z.writestr("views/data/1", struct.pack("<4e", 1.5, -2, 0.15625, 65504))
    z.writestr("views/data/2", struct.pack("<2H", 0x3F80, 0xC060))   # bf16 1.0, -3.5
    z.writestr("views/version", "3\n")
