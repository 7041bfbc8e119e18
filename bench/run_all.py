"""Run every benchmark in this folder (bench_*.py), one after another, and print its figures.

Benchmarks compare ratios within one run, because this machine is shared and noisy.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def main() -> int:
    benchmarks = sorted(HERE.glob("bench_*.py"))
    if not benchmarks:
        print("No benchmarks yet (bench/bench_*.py).")
        return 0
    failed = []
    for number, path in enumerate(benchmarks, start=1):
        print(f"\n=== [{number}/{len(benchmarks)}] {path.name} ===", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(path)], cwd=HERE.parent, check=False)
        print(f"--- {path.name}: exit {result.returncode} in {time.monotonic() - started:.1f}s")
        if result.returncode:
            failed.append(path.name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
