"""The simulator's pcscd manager cleans up after a dead pcscd and never stops one it did not start."""

from __future__ import annotations

import socket
import subprocess

import pytest

from hwsim.card.pcscd import Pcscd


def dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def leftover_socket(path) -> None:
    """A Unix socket file nobody listens on any more, as a killed pcscd leaves."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.bind(str(path))


def test_stale_files_of_a_dead_pcscd_are_cleaned(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "pcscd.pid").write_text(f"{dead_pid()}\n\0")  # as pcscd writes it
    leftover_socket(run_dir / "pcscd.comm")
    manager = Pcscd(run_dir=run_dir)
    assert manager.state().stale_files
    assert sorted(manager.clean_stale()) == sorted([str(run_dir / "pcscd.comm"), str(run_dir / "pcscd.pid")])
    assert list(run_dir.iterdir()) == []


def test_socket_left_without_a_pid_file_is_cleaned(tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    leftover_socket(run_dir / "pcscd.comm")
    assert Pcscd(run_dir=run_dir).clean_stale() == [str(run_dir / "pcscd.comm")]


@pytest.mark.pcsc
def test_files_of_a_live_pcscd_are_kept(pcscd):
    other = Pcscd()  # looks at the real /run/pcscd
    assert other.running_pid() == pcscd.running_pid()
    assert other.clean_stale() == []
    assert other.comm.exists() and other.pid_file.exists()


@pytest.mark.pcsc
def test_a_pcscd_it_did_not_start_is_never_stopped(pcscd):
    pid = pcscd.running_pid()
    bystander = Pcscd()
    assert not bystander.ours
    bystander.stop()
    assert bystander.ensure_running() is False  # uses the running one
    assert pcscd.running_pid() == pid
