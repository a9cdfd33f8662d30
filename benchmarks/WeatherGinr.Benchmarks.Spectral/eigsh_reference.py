"""scipy's eigsh (ARPACK, shift-invert) on a Laplacian exported by the WeatherGinr benchmark, and the same
residual measure applied to scipy's pairs and to WeatherGinr's.

usage: eigsh_reference.py MATRIX.csr OURS.bin K SIGMA TOL

scipy runs twice on the same matrix: with its default tolerance (tol=0, machine precision) and with tol=TOL,
our contract (for shift-invert, ARPACK's test on the operator (L - sigma I)^-1 bounds the residual
||L u - lambda u|| by about TOL * ||L - sigma I||, so TOL = 1e-8 asks for what our solver guarantees).

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


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def timed_eigsh(lap, k, sigma, tol):
    load = load_average()
    start = time.perf_counter()
    values, vectors = eigsh(lap.tocsc(), k=k, sigma=sigma, which="LM", tol=tol)
    seconds = time.perf_counter() - start
    order = np.argsort(values)
    return values[order], vectors[:, order], seconds, load


def main():
    matrix_path, ours_path, k, sigma = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    contract_tol = float(sys.argv[5]) if len(sys.argv) > 5 else 1e-8
    lap = read_csr(matrix_path)
    assert abs(lap - lap.T).max() == 0, "the exported Laplacian is not symmetric"

    values, vectors, seconds, load = timed_eigsh(lap, k, sigma, 0)
    # Peak resident memory of this process up to and including the first solve (kilobytes on Linux).
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    contract_values, contract_vectors, contract_seconds, contract_load = timed_eigsh(lap, k, sigma, contract_tol)

    # ||L||_2 = lambda_max, one value for every residual.
    norm = float(eigsh(lap, k=1, which="LA", return_eigenvectors=False, tol=1e-10)[0])
    ours_values, ours_vectors = read_pairs(ours_path)
    json.dump({
        "scipyVersion": scipy.__version__,
        "nodeCount": lap.shape[0],
        "seconds": seconds,
        "loadAverage": load,
        "peakMemoryBytes": peak_kib * 1024,
        "norm": norm,
        "residual": residuals(lap, values, vectors, norm),
        "orthonormality": orthonormality(vectors),
        "contractTolerance": contract_tol,
        "contractSeconds": contract_seconds,
        "contractLoadAverage": contract_load,
        "contractResidual": residuals(lap, contract_values, contract_vectors, norm),
        "contractOrthonormality": orthonormality(contract_vectors),
        "oursResidual": residuals(lap, ours_values, ours_vectors, norm),
        "oursOrthonormality": orthonormality(ours_vectors),
        "maxEigenvalueDifference": float(np.max(np.abs(values - ours_values[:k]))),
    }, sys.stdout)


if __name__ == "__main__":
    main()
