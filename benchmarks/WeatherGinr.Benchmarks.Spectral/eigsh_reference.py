"""scipy's eigsh (ARPACK, shift-invert) on a Laplacian exported by the WeatherGinr benchmark, and the same
residual measure applied to scipy's pairs and to WeatherGinr's.

usage: eigsh_reference.py MATRIX.csr OURS.bin K SIGMA

MATRIX.csr: int32 n, int32 nnz, int32[n + 1] row offsets, int32[nnz] columns, float64[nnz] values.
OURS.bin:   int32 n, int32 k, float64[k] eigenvalues, float64[k * n] eigenvectors (vector j at [j * n, (j + 1) * n)).
Prints one JSON object on standard output.
"""
import json
import resource
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
from scipy.sparse.linalg import eigsh


def read_csr(path):
    with open(path, "rb") as f:
        n, nnz = np.fromfile(f, dtype=np.int32, count=2)
        offsets = np.fromfile(f, dtype=np.int32, count=n + 1)
        columns = np.fromfile(f, dtype=np.int32, count=nnz)
        values = np.fromfile(f, dtype=np.float64, count=nnz)
    return sp.csr_matrix((values, columns, offsets), shape=(n, n))


def read_pairs(path):
    with open(path, "rb") as f:
        n, k = np.fromfile(f, dtype=np.int32, count=2)
        values = np.fromfile(f, dtype=np.float64, count=k)
        vectors = np.fromfile(f, dtype=np.float64, count=k * n).reshape(k, n).T
    return values, vectors


def residuals(lap, values, vectors, norm):
    # max_j ||L u_j - lambda_j u_j||_2 / ||L||_2 over the pairs as each solver returned them.
    r = lap @ vectors - vectors * values[np.newaxis, :]
    return float(np.max(np.linalg.norm(r, axis=0)) / norm)


def orthonormality(vectors):
    g = vectors.T @ vectors
    return float(np.max(np.abs(g - np.eye(g.shape[0]))))


def main():
    matrix_path, ours_path, k, sigma = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    lap = read_csr(matrix_path)
    assert abs(lap - lap.T).max() == 0, "the exported Laplacian is not symmetric"

    start = time.perf_counter()
    values, vectors = eigsh(lap.tocsc(), k=k, sigma=sigma, which="LM")
    seconds = time.perf_counter() - start
    # Peak resident memory of this process up to and including the solve (kilobytes on Linux).
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    order = np.argsort(values)
    values, vectors = values[order], vectors[:, order]

    # ||L||_2 = lambda_max, one value for both residuals.
    norm = float(eigsh(lap, k=1, which="LA", return_eigenvectors=False, tol=1e-10)[0])
    ours_values, ours_vectors = read_pairs(ours_path)
    json.dump({
        "scipyVersion": scipy.__version__,
        "nodeCount": lap.shape[0],
        "seconds": seconds,
        "peakMemoryBytes": peak_kib * 1024,
        "norm": norm,
        "residual": residuals(lap, values, vectors, norm),
        "orthonormality": orthonormality(vectors),
        "oursResidual": residuals(lap, ours_values, ours_vectors, norm),
        "oursOrthonormality": orthonormality(ours_vectors),
        "maxEigenvalueDifference": float(np.max(np.abs(values - ours_values[:k]))),
    }, sys.stdout)


if __name__ == "__main__":
    main()
