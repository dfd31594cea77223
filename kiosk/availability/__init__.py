"""Which services this kiosk can do right now, and why not the others.

Degraded service instead of all-or-nothing (issue 15): each service says what it needs
(`needs`), the terminal's devices, the centre and the out-of-service switch say what there
is (`out_of_service`, `monitor`), and one pure function (`rules`) turns the two into an
`Availability` per service with the reason in the residents' words.
"""
