"""The simulated social security card: a chip (chip.py) behind vsmartcard-vpcd (vpcd.py),
filled from TOML card profiles (profile.py, profiles/), with pcscd started when needed
(pcscd.py) and a control socket for technicians (simulator.py)."""
