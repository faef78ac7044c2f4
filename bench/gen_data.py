"""Benchmark inputs for bench/data.sh: a zip of many small files and a large CSV.

usage: gen_data.py zip PATH COUNT | csv PATH MEGABYTES
"""
import random
import sys
import zipfile


def make_zip(path, count):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for i in range(count):
            archive.writestr(f"class{i % 10}/sample_{i:05d}.txt", f"sample {i}\n" * 20)


def make_csv(path, megabytes):
    rng = random.Random(7)
    words = ["alpha", "beta", "gamma", "delta", "价格", "naïve", "zeta"]
    target = megabytes * 1_000_000
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("id,name,city,score,ratio,flag,note,a,b,c\n")
        written, i = 0, 0
        while written < target:
            note = f'"{rng.choice(words)}, {rng.choice(words)} ""q"""' if i % 5 == 0 else rng.choice(words)
            line = (f"{i},{rng.choice(words)},{rng.choice(words)},{rng.randint(0, 10**6)},"
                    f"{rng.random():.6f},{i % 2 == 0},{note},{rng.randint(0, 99)},{rng.randint(0, 99)},x\n")
            out.write(line)
            written += len(line.encode())
            i += 1


if __name__ == "__main__":
    kind, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    make_zip(path, n) if kind == "zip" else make_csv(path, n)
