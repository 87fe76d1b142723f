#!/usr/bin/python3
"""Times scipy linkage(average, cosine) and scikit-learn AgglomerativeClustering (average, cosine, full tree)
on vectors written by MoralGap.Bench (a float32 .npy), best of N. Writes scipy's Z next to the input
(<input>.scipy-Z.npy) and prints one JSON line. Run with Debian's /usr/bin/python3 (python3-scipy, python3-sklearn)."""
import json, sys, time
import numpy as np
import scipy
from scipy.cluster.hierarchy import linkage

path, repeats = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
X32 = np.load(path)
X = X32.astype(np.float64)
out = {"n": int(X.shape[0]), "d": int(X.shape[1]), "scipy_version": scipy.__version__}

best = float("inf")
for _ in range(repeats):
    t = time.perf_counter(); Z = linkage(X, method="average", metric="cosine"); best = min(best, time.perf_counter() - t)
out["scipy_s"] = best
np.save(path + ".scipy-Z.npy", Z)

try:
    import sklearn
    from sklearn.cluster import AgglomerativeClustering
    out["sklearn_version"] = sklearn.__version__
    for name, data in (("sklearn_f64_s", X), ("sklearn_f32_s", X32)):
        best = float("inf")
        for _ in range(repeats):
            m = AgglomerativeClustering(n_clusters=None, linkage="average", metric="cosine", compute_full_tree=True, distance_threshold=0)
            t = time.perf_counter(); m.fit(data); best = min(best, time.perf_counter() - t)
        out[name] = best
except ImportError as e:
    out["sklearn_error"] = str(e)
print(json.dumps(out))
