"""The terminal's health as the fleet sees it: a snapshot of enums, counts and times, never a
person, served to Prometheus (exporter.py) and sent to the centre as a heartbeat (heartbeat.py).

`snapshot.py` gathers it from the devices' last statuses, the outbox (counted with SQL on a
read-only connection that cannot open a sealed field), the journey and delivery tallies, the
enrolment's certificate and the build; `monitor.py` starts what a terminal runs.
"""
