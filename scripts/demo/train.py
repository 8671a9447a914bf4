"""A tiny "training" for the xv demo: reads params.yaml, writes a model file and one run of
metrics into results/experiments.db with the real xetrack tracker."""
import hashlib
import os
import random
import sys

import yaml
from xetrack import Tracker

version = sys.argv[1]
params = yaml.safe_load(open("params.yaml"))["train"]
random.seed(f"{params['model']}-{params['lr']}")

# "Train": a model file whose bytes depend on the parameters.
os.makedirs("models/production", exist_ok=True)
with open("models/production/model.bin", "wb") as f:
    f.write(random.randbytes(256 * 1024))

# "Evaluate": a score that prefers a learning rate near 3e-4.
distance = abs(params["lr"] - 3e-4) / 1e-3
f1 = round(0.92 - distance * 0.2 + random.uniform(-0.01, 0.01), 4)
tracker = Tracker(db="results/experiments.db", table="metrics",
                  params={"version": version, "model": params["model"], "learning_rate": params["lr"]})
tracker.log({"f1": f1, "loss": round(1 - f1 + 0.05, 4)})
print(f"trained {params['model']} lr={params['lr']}: f1={f1}")
