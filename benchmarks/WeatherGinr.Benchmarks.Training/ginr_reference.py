"""PyTorch reference for the WeatherGinr training benchmark (Debian's python3-torch, /usr/bin/python3).

The same network as src/WeatherGinr.Training (GinrNetwork): `layers` linear layers of one width, the
network input concatenated again before layer ceil(layers / 2), ReLU or SIREN (w0 = 30) hidden layers, a
linear output; the same step: random (time, node) pairs, input rows gathered from the embedding table and
the normalised time, MSE on standardised targets, AdamW (weight decay 0.01).

Modes (one JSON object on the last line of standard output):
  throughput  --nodes N --times T --k K --outputs V --layers L --width W --activation relu|sine
              --batch B --warmup S0 --steps S --threads P
      -> {"points_per_second": ..., "seconds": ..., "steps": S}
  products    the same arguments as throughput: only the matrix products of a training step (forward,
              weight and input gradients), timed -> {"points_per_second": ...}
  time-to-r2  --data DIR --budget SECONDS --threads P [--eval-seconds E] [--stop-at R2] [--cpu-budget S]
      the paper's weather configuration (ReLU, 8 x 512, lr 1e-3, 5000 random nodes per time step, the
      embedding columns in DIR plus time) on DIR/embedding.f32, DIR/targets.f32,
      DIR/meta.json (nodes, k, times, held-out nodes in DIR/heldout.i32); scores the held-out nodes every
      E seconds of training (scoring time is excluded from the wall and CPU clocks), stops early once
      R2 >= --stop-at, or after --cpu-budget process CPU seconds of training
      -> {"trace": [[training seconds, steps, r2, training CPU seconds], ...]}
"""
import argparse
import json
import math
import time

import numpy as np
import torch


class Ginr(torch.nn.Module):
    def __init__(self, inputs, outputs, layers, width, activation, omega0=30.0):
        super().__init__()
        self.skip = (layers + 1) // 2
        self.sine = activation == "sine"
        self.omega0 = omega0
        shapes = []
        for index in range(layers):
            fan_in = inputs if index == 0 else width
            if index == self.skip:
                fan_in += inputs
            shapes.append((fan_in, outputs if index == layers - 1 else width))
        self.layers = torch.nn.ModuleList(torch.nn.Linear(a, b) for a, b in shapes)
        if self.sine:
            with torch.no_grad():
                for index, layer in enumerate(self.layers):
                    fan_in = layer.weight.shape[1]
                    bound = 1.0 / fan_in if index == 0 else math.sqrt(6.0 / fan_in) / omega0
                    layer.weight.uniform_(-bound, bound)

    def forward(self, x):
        hidden = x
        last = len(self.layers) - 1
        for index, layer in enumerate(self.layers):
            if index == self.skip:
                hidden = torch.cat([hidden, x], 1)
            if index == last:
                return layer(hidden)
            hidden = torch.sin(self.omega0 * layer(hidden)) if self.sine else torch.relu(layer(hidden))


def step(network, optimiser, embedding, times, targets, pairs, nodes):
    node = pairs % nodes
    t = torch.div(pairs, nodes, rounding_mode="floor")
    x = torch.cat([embedding.index_select(0, node), times.index_select(0, t)], 1)
    loss = torch.nn.functional.mse_loss(network(x), targets.index_select(0, pairs))
    optimiser.zero_grad(set_to_none=True)
    loss.backward()
    optimiser.step()
    return loss


def throughput(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    embedding = torch.randn(a.nodes, a.k)
    times = torch.linspace(-1, 1, a.times).unsqueeze(1)
    targets = torch.randn(a.times * a.nodes, a.outputs)
    network = Ginr(a.k + 1, a.outputs, a.layers, a.width, a.activation)
    optimiser = torch.optim.AdamW(network.parameters(), lr=a.lr, weight_decay=0.01)
    generator = torch.Generator().manual_seed(1)
    for _ in range(a.warmup):
        step(network, optimiser, embedding, times, targets,
             torch.randint(0, a.times * a.nodes, (a.batch,), generator=generator), a.nodes)
    start = time.perf_counter()
    for _ in range(a.steps):
        step(network, optimiser, embedding, times, targets,
             torch.randint(0, a.times * a.nodes, (a.batch,), generator=generator), a.nodes)
    seconds = time.perf_counter() - start
    print(json.dumps({"points_per_second": a.steps * a.batch / seconds, "seconds": seconds, "steps": a.steps,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))


def products(a):
    """The matrix products of one training step alone (see MatrixProductBound.cs), points per second."""
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    network = Ginr(a.k + 1, a.outputs, a.layers, a.width, a.activation)
    layers = [(torch.randn(a.batch, layer.weight.shape[1]), torch.randn(*layer.weight.shape),
               torch.randn(a.batch, layer.weight.shape[0])) for layer in network.layers]

    def one_step():
        for index, (x, w, dy) in enumerate(layers):
            torch.mm(x, w.t())
            torch.mm(dy.t(), x)
            if index > 0:
                torch.mm(dy, w)

    for _ in range(a.warmup):
        one_step()
    start = time.perf_counter()
    for _ in range(a.steps):
        one_step()
    seconds = time.perf_counter() - start
    print(json.dumps({"points_per_second": a.steps * a.batch / seconds, "seconds": seconds, "steps": a.steps}))


def time_to_r2(a):
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    meta = json.load(open(f"{a.data}/meta.json"))
    n, k, steps_t = meta["nodes"], meta["k"], meta["times"]
    embedding = torch.from_numpy(np.fromfile(f"{a.data}/embedding.f32", dtype=np.float32).reshape(n, k))
    raw = np.fromfile(f"{a.data}/targets.f32", dtype=np.float32).reshape(steps_t, n)
    held = np.fromfile(f"{a.data}/heldout.i32", dtype=np.int32)
    train_nodes = np.setdiff1d(np.arange(n), held)
    mean, std = raw[:, train_nodes].mean(), raw[:, train_nodes].std()
    targets = torch.from_numpy(((raw - mean) / std).reshape(steps_t * n, 1))
    times = torch.linspace(-1, 1, steps_t).unsqueeze(1)
    network = Ginr(k + 1, 1, 8, 512, "relu")
    optimiser = torch.optim.AdamW(network.parameters(), lr=1e-3, weight_decay=0.01)
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimiser, factor=0.5, patience=50)
    train = torch.from_numpy(train_nodes.astype(np.int64))
    held_t = torch.from_numpy(held.astype(np.int64))
    truth = raw[:, held]
    trace, done, next_eval = [], 0, a.eval_seconds
    generator = torch.Generator().manual_seed(1)
    # Training time only: scoring the held-out nodes is taken out of both clocks (wall and process CPU).
    start, cpu_start, paused, cpu_paused = time.perf_counter(), time.process_time(), 0.0, 0.0
    while time.perf_counter() - start - paused < a.budget and (
            a.cpu_budget is None or time.process_time() - cpu_start - cpu_paused < a.cpu_budget):
        # 5000 random training nodes at every time step (the reference's sampling).
        chosen = train[torch.randint(0, len(train), (steps_t, 5000), generator=generator)]
        pairs = (torch.arange(steps_t).unsqueeze(1) * n + chosen).reshape(-1)
        loss = step(network, optimiser, embedding, times, targets, pairs, n)
        scheduler.step(loss.item())
        done += 1
        elapsed = time.perf_counter() - start - paused
        cpu = time.process_time() - cpu_start - cpu_paused
        if elapsed >= next_eval or elapsed >= a.budget or (a.cpu_budget is not None and cpu >= a.cpu_budget):
            pause_start, cpu_pause_start = time.perf_counter(), time.process_time()
            with torch.no_grad():
                x = torch.cat([embedding.index_select(0, held_t).repeat(steps_t, 1),
                               times.repeat_interleave(len(held), 0)], 1)
                predicted = network(x).numpy().reshape(steps_t, len(held)) * std + mean
            r2 = 1 - ((truth - predicted) ** 2).sum() / ((truth - truth.mean()) ** 2).sum()
            trace.append([elapsed, done, float(r2), cpu])
            print(json.dumps({"seconds": elapsed, "steps": done, "r2": float(r2), "cpu_seconds": cpu,
                              "lr": optimiser.param_groups[0]["lr"]}), flush=True)
            while next_eval <= elapsed:
                next_eval += a.eval_seconds
            paused += time.perf_counter() - pause_start
            cpu_paused += time.process_time() - cpu_pause_start
            if a.stop_at is not None and r2 >= a.stop_at:
                break
    print(json.dumps({"trace": trace, "torch": torch.__version__}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["throughput", "products", "time-to-r2"])
    parser.add_argument("--nodes", type=int, default=10242)
    parser.add_argument("--times", type=int, default=12)
    parser.add_argument("--k", type=int, default=34)
    parser.add_argument("--outputs", type=int, default=1)
    parser.add_argument("--layers", type=int, default=8)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--activation", choices=["relu", "sine"], default="relu")
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data")
    parser.add_argument("--budget", type=float, default=1800)
    parser.add_argument("--eval-seconds", type=float, default=15)
    parser.add_argument("--stop-at", type=float)
    parser.add_argument("--cpu-budget", type=float)
    a = parser.parse_args()
    {"throughput": throughput, "products": products, "time-to-r2": time_to_r2}[a.mode](a)


if __name__ == "__main__":
    main()
