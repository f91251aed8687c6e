#!/usr/bin/env python3
"""Usage: scripts/pes_duplicate_check.py RUN_DIR... (equimol explore output folders; EQUIMOL overrides the binary;
the re-optimized structures go to RUN_DIR/reopt).
Re-optimize every minimum of DIR/minima.extxyz to fmax 0.001 eV/Å and report, for every pair with the
same SMILES, |ΔE| (kcal/mol) and RMSD (Å; Horn quaternion superposition, mirror images allowed, H atoms
permuted within their heavy atom). A pair is a duplicate when |ΔE| <= 0.05 kcal/mol and RMSD <= 0.125 Å."""
import itertools, json, math, os, re, subprocess, sys

EQ = os.environ.get("EQUIMOL", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "apps", "equimol"))
KCAL = 0.0433641043  # eV per kcal/mol

def frames(path):
    lines = open(path).read().splitlines()
    k = 0
    while k < len(lines):
        n = int(lines[k]); header = lines[k + 1]
        atoms = [l.split() for l in lines[k + 2:k + 2 + n]]
        yield header, [(a[0], [float(x) for x in a[1:4]]) for a in atoms]
        k += 2 + n

def field(header, key):
    m = re.search(key + r'=("([^"]*)"|(\S+))', header)
    return m.group(2) if m.group(2) is not None else m.group(3)

def read_xyz(path):
    return list(frames(path))[0][1]

def jacobi_max_eig(a):
    a = [row[:] for row in a]; n = 4
    for _ in range(100):
        off = max((abs(a[i][j]), i, j) for i in range(n) for j in range(n) if i < j)
        if off[0] < 1e-14: break
        _, p, q = off
        theta = 0.5 * math.atan2(2 * a[p][q], a[q][q] - a[p][p])
        c, s = math.cos(theta), math.sin(theta)
        for k in range(n):
            akp, akq = a[k][p], a[k][q]
            a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
        for k in range(n):
            apk, aqk = a[p][k], a[q][k]
            a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
    return max(a[i][i] for i in range(n))

def centred(xs):
    c = [sum(x[i] for x in xs) / len(xs) for i in range(3)]
    return [[x[i] - c[i] for i in range(3)] for x in xs]

def rmsd(xa, xb):  # proper rotation, Horn 1987
    xa, xb = centred(xa), centred(xb)
    S = [[sum(p[i] * q[j] for p, q in zip(xa, xb)) for j in range(3)] for i in range(3)]
    (xx, xy, xz), (yx, yy, yz), (zx, zy, zz) = S
    N = [[xx + yy + zz, yz - zy, zx - xz, xy - yx],
         [yz - zy, xx - yy - zz, xy + yx, zx + xz],
         [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
         [xy - yx, zx + xz, yz + zy, -xx - yy + zz]]
    g = sum(v * v for p in xa for v in p) + sum(v * v for p in xb for v in p)
    return math.sqrt(max(0.0, (g - 2 * jacobi_max_eig(N)) / len(xa)))

def h_groups(atoms):
    groups = {}
    for i, (el, x) in enumerate(atoms):
        if el != "H": continue
        heavy = min((math.dist(x, y), j) for j, (e, y) in enumerate(atoms) if e != "H")[1]
        groups.setdefault(heavy, []).append(i)
    return list(groups.values())

def best_rmsd(a, b):
    xa = [x for _, x in a]
    best = math.inf
    groups = h_groups(b)
    for mirror in (False, True):
        xb0 = [[-x[0], x[1], x[2]] if mirror else x for _, x in b]
        for perms in itertools.product(*[itertools.permutations(g) for g in groups]):
            xb = list(xb0)
            for g, p in zip(groups, perms):
                for i, j in zip(g, p): xb[i] = xb0[j]
            best = min(best, rmsd(xa, xb))
    return best

def main(run_dir):
    work = os.path.join(run_dir, "reopt"); os.makedirs(work, exist_ok=True)
    minima = []
    for header, atoms in frames(os.path.join(run_dir, "minima.extxyz")):
        mid, smiles, e = int(field(header, "id")), field(header, "smiles"), float(field(header, "energy"))
        src = os.path.join(work, f"m{mid}.xyz"); dst = os.path.join(work, f"m{mid}_opt.xyz")
        with open(src, "w") as f:
            f.write(f"{len(atoms)}\n\n" + "".join(f"{el} {x[0]:.8f} {x[1]:.8f} {x[2]:.8f}\n" for el, x in atoms))
        out = json.loads(subprocess.run([EQ, "optimize", "--xyz", src, "--fmax", "0.001", "--json", "-o", dst],
                                        capture_output=True, text=True, check=True).stdout)
        minima.append(dict(id=mid, smiles=smiles, stored=e, e=out["energy_ev"], smiles_opt=out["smiles"],
                           atoms=read_xyz(dst)))
    print(f"{run_dir}: {len(minima)} minima")
    for m in minima:
        print(f"  id {m['id']:3d} {m['smiles']:22s} stored {m['stored']:.5f} eV, fmax 0.001 {m['e']:.5f} eV"
              f" (stored - reoptimized {(m['stored'] - m['e']) / KCAL:+.3f} kcal/mol)")
    pairs = dups = 0
    for a, b in itertools.combinations(minima, 2):
        if a["smiles"] != b["smiles"]: continue
        pairs += 1
        de = abs(a["e"] - b["e"]) / KCAL
        r = best_rmsd(a["atoms"], b["atoms"])
        dup = de <= 0.05 and r <= 0.125
        dups += dup
        print(f"  pair {a['id']}-{b['id']} {a['smiles']}: |dE| {de:.4f} kcal/mol, RMSD {r:.3f} A{'  DUPLICATE' if dup else ''}")
    print(f"  {pairs} same-SMILES pairs checked, {dups} duplicates")
    err = max((m["stored"] - m["e"]) / KCAL for m in minima)
    print(f"SUMMARY {run_dir} minima {len(minima)} pairs {pairs} duplicates {dups} max_stored_excess_kcal {err:.3f}")

if __name__ == "__main__":
    for d in sys.argv[1:]: main(d)
