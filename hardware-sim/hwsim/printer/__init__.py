"""The receipt printer simulator: ESC/POS on a pty, a finite paper roll, a cover, PNG jobs."""

from hwsim.printer.simulator import PrinterSimulator, default_jobs_dir

__all__ = ["PrinterSimulator", "default_jobs_dir"]
