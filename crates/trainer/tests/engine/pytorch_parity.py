# Replays engine runs in PyTorch (the network the generated code builds) and prints,
# per case, PyTorch's losses, eval loss and the largest weight difference.
# argv[1]: a folder with cases.json and, per case i, w0_i.bin and w3_i.bin.
import json, struct, sys
import torch
import torch.nn as nn

def arrays(path):
    body = open(path, "rb").read()[12:-8]  # magic + fingerprint, checksum
    out, i = [], 0
    while i < len(body):
        n = struct.unpack("<Q", body[i:i + 8])[0]
        i += 8
        out.append(torch.tensor(struct.unpack("<%df" % n, body[i:i + 4 * n])))
        i += 4 * n
    return out

# Each case names its network as a Python expression over `nn` (the layers the
# generated code builds for it), its input shape and its number of classes.
def network(case):
    return eval(case["net"], {"nn": nn})

def state(net):
    # The engine's order: parameters (linear weights stored [in, out]), then running stats.
    out = [(p.t() if p.dim() == 2 else p).detach().reshape(-1) for p in net.parameters()]
    for m in net:
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            out += [m.running_mean.clone(), m.running_var.clone()]
    return out

def load(net, values):
    values = iter(values)
    for p in net.parameters():
        v = next(values)
        p.data.copy_(v.reshape(p.shape[1], p.shape[0]).t() if p.dim() == 2 else v.reshape(p.shape))
    for m in net:
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            m.running_mean.copy_(next(values))
            m.running_var.copy_(next(values))

OPTIMIZERS = {
    "sgd": lambda p, lr: torch.optim.SGD(p, lr),
    "momentum": lambda p, lr: torch.optim.SGD(p, lr, momentum=0.9, dampening=0),
    "adam": lambda p, lr: torch.optim.Adam(p, lr, betas=(0.9, 0.999), eps=1e-8),
    "rmsprop": lambda p, lr: torch.optim.RMSprop(p, lr, alpha=0.99, eps=1e-8),
    "adagrad": lambda p, lr: torch.optim.Adagrad(p, lr, eps=1e-10),
}

folder = sys.argv[1]
cases = json.load(open(folder + "/cases.json"))
results = []
for i, case in enumerate(cases):
    torch.manual_seed(0)
    x = torch.tensor(case["x"]).reshape(-1, *case["shape"])
    classes = case["classes"]
    y = torch.tensor(case["y"])
    def loss_fn(z):
        if case["loss"] == "entropy":
            return nn.functional.cross_entropy(z, y)
        return ((torch.softmax(z, 1) - nn.functional.one_hot(y, classes).float()) ** 2).mean()
    net = network(case)
    load(net, arrays("%s/w0_%d.bin" % (folder, i)))
    opt = OPTIMIZERS[case["optimizer"]](net.parameters(), case["lr"])
    net.train()
    losses = []
    for _ in range(len(case["losses"])):
        opt.zero_grad()
        loss = loss_fn(net(x))
        loss.backward()
        opt.step()
        losses.append(loss.item())
    net.eval()
    with torch.no_grad():
        z = net(x)
    diffs = [(a - b).abs().max().item() for a, b in zip(state(net), arrays("%s/w3_%d.bin" % (folder, i)))]
    results.append({"losses": losses, "eval_loss": loss_fn(z).item(),
                    "predictions": z.argmax(1).tolist(), "diffs": diffs})
print(json.dumps(results))
