#!/usr/bin/python3
"""Generates linkage-scipy.json, the reference for LinkageScipyTests.

Run ONCE with Debian's scipy (apt-get install -y python3-scipy; /usr/bin/python3), then commit the JSON.
The tests never need Python.

Cases:
  blobs   60 points in 5-d from 4 Gaussian blobs (seed 20261128): no ties.
  grid    40 points on a small integer grid, Euclidean: many exactly tied distances,
          which exercises scipy's tie rules (NN-chain order, stable sort, MST order for single).
Every case records Z = scipy.cluster.hierarchy.linkage(X, method, metric) and
fcluster(Z, k, 'maxclust') for k in 1..8 and fcluster(Z, t, 'distance') at three thresholds (midway between heights).
"""
import json
import numpy as np
import scipy
from scipy.cluster.hierarchy import linkage, fcluster

rng = np.random.default_rng(20261128)
centres = rng.normal(0, 4, size=(4, 5))
blobs = np.vstack([c + rng.normal(0, 1, size=(15, 5)) for c in centres])
grid = rng.integers(0, 4, size=(40, 3)).astype(float)
grid = np.unique(grid, axis=0)  # duplicates would give zero distances; keep ties but not identical points

cases = []
for name, X, metrics in [("blobs", blobs, ["euclidean", "cosine"]), ("grid", grid, ["euclidean"])]:
    for metric in metrics:
        for method in ["single", "complete", "average", "weighted", "ward"]:
            if method == "ward" and metric != "euclidean":
                continue
            Z = linkage(X, method=method, metric=metric)
            h = Z[:, 2]
            # midway between two merge heights, so a last-bit difference in a height cannot flip the cut
            thresholds = [float((h[i] + h[i + 1]) / 2) for i in (len(h) // 4, len(h) // 2, len(h) - 3)]
            cases.append({
                "data": name, "metric": metric, "method": method,
                "Z": Z.tolist(),
                "maxclust": {str(k): (fcluster(Z, k, "maxclust") - 1).tolist() for k in range(1, 9)},
                "distance": [{"t": t, "labels": (fcluster(Z, t, "distance") - 1).tolist()} for t in thresholds],
            })

out = {"scipy": scipy.__version__, "numpy": np.__version__,
       "data": {"blobs": blobs.tolist(), "grid": grid.tolist()}, "cases": cases}
with open("linkage-scipy.json", "w") as f:
    json.dump(out, f, indent=None, separators=(",", ":"))
    f.write("\n")
print(len(cases), "cases, scipy", scipy.__version__)
