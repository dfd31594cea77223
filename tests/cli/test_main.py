"""The command line finds the simulator's optional commands only when it may need them."""

from kiosk.cli.main import CLI, build


def test_the_named_command_is_the_first_word_past_the_options():
    assert CLI.named_command(["--config", "sim", "config", "check"]) == "config"
    assert CLI.named_command(["--config=terminal.toml", "sim", "ctl", "printer", "status"]) == "sim"
    assert CLI.named_command(["--help"]) is None
    assert CLI.named_command([]) is None


def test_the_simulator_s_commands_are_added_unless_a_kiosk_command_is_named():
    assert "sim" in build(["sim", "list"]).commands()
    assert "sim" in build(["--help"]).commands()
    assert "sim" in build(["no-such-command"]).commands()  # argparse's "invalid choice" lists them all
    assert "sim" in build().commands()
    assert "sim" not in build(["config", "check"]).commands()
    assert "devices" in build(["config", "check"]).commands()
