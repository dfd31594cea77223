"""Region policies: everything region-specific lives in data files, not in code.

One module per concept: `model` (the values), `phases` (who may apply when), `schema` (the
JSON schema and its errors in a reader's words), `builder` (table to values, with the checks a
schema cannot make) and `loader` (files, cache, PolicyError). The names callers use are
re-exported here: `from kiosk.domain.policy import RegionPolicy, load_policy`.
"""

from kiosk.domain.policy.loader import (
    POLICY_DIR,
    PolicyError,
    available_regions,
    load_policy,
    load_policy_file,
    policy_path,
)
from kiosk.domain.policy.model import (
    KIOSK,
    WINDOW,
    Bank,
    BatchRules,
    Contacts,
    Fees,
    NamedNumber,
    Outlet,
    PickupMethod,
    RegionPolicy,
    ServiceRule,
    TimeLimit,
)
from kiosk.domain.policy.phases import CHANNEL_NAMES, Phase, PhaseDecision, PhasedSchedule
from kiosk.domain.policy.schema import SCHEMA_PATH, policy_schema, schema_problems

__all__ = [
    "CHANNEL_NAMES",
    "KIOSK",
    "POLICY_DIR",
    "SCHEMA_PATH",
    "WINDOW",
    "Bank",
    "BatchRules",
    "Contacts",
    "Fees",
    "NamedNumber",
    "Outlet",
    "Phase",
    "PhaseDecision",
    "PhasedSchedule",
    "PickupMethod",
    "PolicyError",
    "RegionPolicy",
    "ServiceRule",
    "TimeLimit",
    "available_regions",
    "load_policy",
    "load_policy_file",
    "policy_path",
    "policy_schema",
    "schema_problems",
]
