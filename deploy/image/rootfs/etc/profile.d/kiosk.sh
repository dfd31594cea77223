# The technician's `kiosk` command reads the terminal's own configuration.
export KIOSK_CONFIG=/etc/sscard-kiosk/terminal.toml
