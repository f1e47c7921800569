"""python3 training/make_synthetic.py --out DIR --count N [--size PX] [--seed S]: a synthetic dataset."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from shm.synthetic import write_dataset  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument('--out', required=True)
    p.add_argument('--count', type=int, default=64)
    p.add_argument('--size', type=int, default=96)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--val_fraction', type=float, default=0.25)
    a = p.parse_args()
    train, val = write_dataset(a.out, a.count, a.size, a.seed, a.val_fraction)
    print(f'{len(train)} training and {len(val)} validation images in {a.out}')


if __name__ == '__main__':
    main()
