"""Checking an employer batch package: 2,000 people with 6,000 images (issue 11).

Each number comes with a baseline measured in the same run on the same files:
- the check of the whole package (folder, then the same package as a Windows zip) against
  reading every file's bytes once (folder: open and read each file; zip: read each member);
  the target is at most 1.5 times the baseline. Both are measured twice: with this package's
  pages dropped from the page cache before each run (cold: the bytes come from the disk, as
  they come from a USB drive; the target is judged here) and with them cached (warm: no I/O
  at all, so the check's own CPU work is all there is to see). CPU seconds are printed beside
  the wall-clock ones: on a machine shared with other work they are the steadier number;
- peak resident memory of a process that checks the package, measured in a fresh subprocess
  (VmHWM), beside the peak of the same process that only imports the checker; the
  target is under 300 MB;
- the time to check a package of 100 people.
The images are JPEGs with noise in them, so they are as large as real scans (photo ~30 KB,
ID card sides ~80 KB), and the page cache is warmed before any run. Median of 3 runs.
Exit status 1 when a target is missed. Run: bench/run batch (BENCH_DIR chooses the disk; the
default is the temp folder).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "hardware-sim")]

from kiosk.batch import check_package  # noqa: E402
from kiosk.domain.policy import load_policy  # noqa: E402
from tests.batch.packages import TODAY, Person, adult, build_package, zip_like_windows  # noqa: E402

PEOPLE = 2_000
SMALL = 100
RUNS = 3
RATIO_TARGET = 1.5
RSS_TARGET_MB = 300
REGION = "chongqing-changshou"


def noisy_jpeg(width: int, height: int, seed: int) -> bytes:
    """A JPEG about as large as a real scan of that size (noise does not compress away)."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    base = np.full((height, width, 3), 200, dtype=np.uint8)
    noise = rng.integers(0, 60, size=(height, width, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(base - noise).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def make_people(n: int) -> list[Person]:
    photos = [noisy_jpeg(358, 441, s) for s in range(4)]
    sides = [noisy_jpeg(640, 404, 10 + s) for s in range(4)]
    people = []
    for i in range(n):
        person = adult(i)
        number = person.id_number
        person.images = {
            f"{number}.jpg": photos[i % 4],
            f"{number}-正.jpg": sides[i % 4],
            f"{number}-反.jpg": sides[(i + 1) % 4],
        }
        people.append(person)
    return people


def unique_people(n: int) -> list[Person]:
    """`n` people with distinct ID numbers (adult(i) repeats its birth dates every 30 years)."""
    from datetime import date

    from tests.batch.packages import id_number

    people = make_people(n)
    for i, person in enumerate(people):
        number = id_number(date(1960 + i % 40, 1 + i % 12, 1 + i % 28), i % 1000)
        person.images = {name.replace(person.id_number, number): data for name, data in person.images.items()}
        person.id_number = number
    return people


def read_every_file(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            with open(os.path.join(dirpath, name), "rb") as f:
                total += len(f.read())
    return total


def read_every_member(path: Path) -> int:
    total = 0
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            total += len(z.read(info))
    return total


def evict(path: Path) -> None:
    """Drop this package's pages (and only its) from the page cache, so the next read comes from
    the disk as it comes from a USB drive: written out first, then POSIX_FADV_DONTNEED."""
    files = [path] if path.is_file() else [Path(d, f) for d, _, names in os.walk(path) for f in names]
    for file in files:
        fd = os.open(file, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def median_time(action, before=lambda: None, runs: int = RUNS) -> float:
    return median_times(action, before, runs)[0]


def median_times(action, before=lambda: None, runs: int = RUNS) -> tuple[float, float]:
    """Median wall-clock seconds and median CPU seconds (user + system, every thread of this
    process). On a machine others share, wall time grows with their load; CPU time does not."""
    walls, cpus = [], []
    for _ in range(runs):
        before()
        start, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def check(path: Path):
    return check_package(path, kind=None, policy=load_policy(REGION), today=TODAY)


_RSS_PROBE = """
import json, sys
sys.path[:0] = {paths!r}
from kiosk.batch import check_package
from kiosk.domain.policy import load_policy
from datetime import date
policy = load_policy({region!r})
if {run!r}:
    report = check_package(__import__("pathlib").Path({path!r}), kind=None, policy=policy, today=date.fromisoformat({today!r}))
    assert report.ok == {people!r}, (report.ok, report.problems[:3])
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork and exec.
print(json.dumps(next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))))
"""


def peak_rss_mb(path: Path, run: bool) -> float:
    code = _RSS_PROBE.format(paths=[str(ROOT), str(ROOT / "hardware-sim")], region=REGION, run=run, path=str(path),
                             today=TODAY.isoformat(), people=PEOPLE)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1]) / 1024  # VmHWM is in KiB


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-batch-", dir=os.environ.get("BENCH_DIR")))
    print(f"work directory {work} (set BENCH_DIR to measure on the terminal's own disk)")
    people = unique_people(PEOPLE)
    folder = build_package(work / "pkg", people)
    zipped = zip_like_windows(folder, work / "pkg.zip")
    small = build_package(work / "small", people[:SMALL])
    images = sum(len(p.images) for p in people)
    size = read_every_file(folder)  # warms the page cache
    print(f"package: {PEOPLE} people, {images} images, {size / 1024**2:.0f} MB; zip {zipped.stat().st_size / 1024**2:.0f} MB")

    report = check(folder)
    assert report.ok == PEOPLE and not report.problems, report.problems[:3]
    failed = False
    for label, path, baseline in (("folder", folder, read_every_file), ("zip", zipped, read_every_member)):
        for cache in ("cold", "warm"):
            before = (lambda: evict(path)) if cache == "cold" else (lambda: None)
            base, base_cpu = median_times(lambda: baseline(path), before)
            ours, ours_cpu = median_times(lambda: check(path), before)
            ratio = ours / base
            verdict = "ok" if ratio <= RATIO_TARGET else "OVER TARGET"
            if cache == "cold":
                failed |= ratio > RATIO_TARGET
            print(f"check {PEOPLE} people ({label:<6}, {cache} cache) median {ours:6.2f} s | read every file once "
                  f"{base:6.2f} s | ratio {ratio:4.2f} (target <= {RATIO_TARGET}) {verdict} | CPU {ours_cpu:5.2f} s "
                  f"vs {base_cpu:5.2f} s, ratio {ours_cpu / max(base_cpu, 1e-9):4.2f}")

    idle = peak_rss_mb(folder, run=False)
    peak = peak_rss_mb(folder, run=True)
    failed |= peak >= RSS_TARGET_MB
    print(f"peak RSS checking {PEOPLE} people {peak:6.1f} MB | the same process without the check {idle:6.1f} MB | "
          f"target < {RSS_TARGET_MB} MB {'ok' if peak < RSS_TARGET_MB else 'OVER TARGET'}")

    small_time = median_time(lambda: check(small))
    small_base = median_time(lambda: read_every_file(small))
    print(f"check {SMALL} people (folder) median {small_time * 1e3:7.1f} ms | read every file once {small_base * 1e3:6.1f} ms")
    import shutil

    shutil.rmtree(work)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
