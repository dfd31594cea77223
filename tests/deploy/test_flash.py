"""deploy/flash refuses the disks it must never write, against files and loop devices standing in
for disks. A stand-in `bmaptool` records any write the refusal tests would have made."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

FLASH = Path(__file__).resolve().parents[2] / "deploy/flash"
MiB = 1024 * 1024


@pytest.fixture
def image(tmp_path):
    path = tmp_path / "kiosk-test-x86_64.img"
    with open(path, "wb") as f:
        f.write(os.urandom(MiB))  # data at the start, a hole after it
        f.truncate(4 * MiB)
    if shutil.which("bmaptool"):
        subprocess.run(["bmaptool", "-q", "create", "-o", f"{path}.bmap", str(path)], check=True)
    else:
        Path(f"{path}.bmap").write_text("<bmap/>")
    return path


@pytest.fixture
def recorder(tmp_path):
    """PATH with a bmaptool that only notes that it was asked to write."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "bmaptool-called"
    (bindir / "bmaptool").write_text(f"#!/bin/sh\necho \"$@\" >> {log}\nexit 1\n")
    (bindir / "bmaptool").chmod(0o755)
    return {"PATH": f"{bindir}:{os.environ['PATH']}"}, log


def sparse_file(path: Path, size: int) -> Path:
    with open(path, "wb") as f:
        f.truncate(size)
    return path


def flash(*args, env=None):
    return subprocess.run([str(FLASH), *map(str, args), "--yes"], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def assert_refused(result, reason, log):
    assert result.returncode == 1, result.stdout + result.stderr
    assert "refused" in result.stderr and reason in result.stderr, result.stderr
    assert not log.exists(), "bmaptool was called"


def test_refuses_a_target_smaller_than_the_image(tmp_path, image, recorder):
    env, log = recorder
    small = tmp_path / "small-disk"
    small.write_bytes(b"\0" * MiB)
    assert_refused(flash(image, small, "--fixed", env=env), "smaller", log)


def test_refuses_a_non_removable_target_without_fixed(tmp_path, image, recorder):
    env, log = recorder
    disk = sparse_file(tmp_path / "disk", 8 * MiB)
    assert_refused(flash(image, disk, env=env), "not removable", log)


def test_refuses_an_image_without_its_bmap(tmp_path, image, recorder):
    env, log = recorder
    Path(f"{image}.bmap").unlink()
    disk = tmp_path / "disk"
    disk.write_bytes(b"\0" * 8 * MiB)
    assert_refused(flash(image, disk, "--fixed", env=env), "bmap", log)


def test_refuses_the_disk_the_running_system_boots_from(image, recorder):
    env, log = recorder
    source = subprocess.run(["findmnt", "-n", "-o", "SOURCE", "/"], capture_output=True, text=True).stdout.strip()
    if not source.startswith("/dev/"):
        pytest.skip(f"/ is not on a block device here ({source or 'unknown'})")
    disks = subprocess.run(["lsblk", "-n", "-s", "-l", "-o", "NAME,TYPE", source], capture_output=True, text=True).stdout
    disk = next((line.split()[0] for line in disks.splitlines() if line.split()[1:] == ["disk"]), None)
    if disk is None:
        pytest.skip(f"no disk found under {source}")
    result = flash(image, f"/dev/{disk}", "--fixed", env=env)
    assert result.returncode == 1 and "refused" in result.stderr, result.stderr
    assert "running system" in result.stderr or "in use" in result.stderr
    assert not log.exists()


@pytest.fixture
def loop_disk(tmp_path):
    if os.geteuid() != 0 or not shutil.which("losetup"):
        pytest.skip("loop devices need root and losetup")
    backing = sparse_file(tmp_path / "loop-backing", 16 * MiB)
    attach = subprocess.run(["losetup", "--find", "--show", str(backing)], capture_output=True, text=True)
    if attach.returncode != 0:
        pytest.skip(f"no loop device here: {attach.stderr.strip()}")
    device = attach.stdout.strip()
    yield device
    subprocess.run(["umount", device], capture_output=True)
    subprocess.run(["losetup", "-d", device], check=True)


def test_refuses_a_loop_disk_without_fixed(image, recorder, loop_disk):
    env, log = recorder
    assert_refused(flash(image, loop_disk, env=env), "not removable", log)


def test_refuses_a_mounted_loop_disk(tmp_path, image, recorder, loop_disk):
    env, log = recorder
    subprocess.run(["mkfs.ext4", "-q", loop_disk], check=True)
    mountpoint = tmp_path / "mnt"
    mountpoint.mkdir()
    if subprocess.run(["mount", loop_disk, str(mountpoint)], capture_output=True).returncode != 0:
        pytest.skip("cannot mount ext4 here")
    try:
        assert_refused(flash(image, loop_disk, "--fixed", env=env), "in use", log)
    finally:
        subprocess.run(["umount", str(mountpoint)], check=True)


@pytest.mark.skipif(not shutil.which("bmaptool"), reason="bmaptool (bmap-tools) is not installed")
def test_writes_and_verifies_a_fixed_loop_disk(image, loop_disk):
    result = flash(image, loop_disk, "--fixed")
    assert result.returncode == 0, result.stderr
    assert "written and verified" in result.stdout
    with open(image, "rb") as a, open(loop_disk, "rb") as b:
        assert a.read(MiB) == b.read(MiB)


@pytest.mark.skipif(not shutil.which("bmaptool"), reason="bmaptool (bmap-tools) is not installed")
def test_verification_catches_a_disk_that_does_not_keep_what_was_written(tmp_path, image):
    """A disk whose writes are lost (here: bmaptool that writes nothing) fails the read-back."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "bmaptool").write_text("#!/bin/sh\nexit 0\n")
    (bindir / "bmaptool").chmod(0o755)
    disk = sparse_file(tmp_path / "disk", 8 * MiB)
    result = flash(image, disk, "--fixed", env={"PATH": f"{bindir}:{os.environ['PATH']}"})
    assert result.returncode != 0
    assert "differ" in result.stderr
