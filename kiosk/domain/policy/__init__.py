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
    EVERY_KIND,
    Bank,
    BatchRules,
    Contacts,
    Fees,
    ImageKind,
    NamedNumber,
    Outlet,
    OutletKind,
    PickupMethod,
    RegionPolicy,
    ServicePlace,
    ServiceRule,
    TimeLimit,
)
from kiosk.domain.policy.phases import CHANNEL_NAMES, Channel, Phase, PhaseDecision, PhasedSchedule, StartPrecision
from kiosk.domain.workdays import TimeUnit
from kiosk.domain.policy.schema import SCHEMA_PATH, policy_schema, schema_problems

__all__ = [
    "CHANNEL_NAMES",
    "EVERY_KIND",
    "POLICY_DIR",
    "SCHEMA_PATH",
    "Bank",
    "BatchRules",
    "Channel",
    "Contacts",
    "Fees",
    "ImageKind",
    "NamedNumber",
    "Outlet",
    "OutletKind",
    "Phase",
    "PhaseDecision",
    "PhasedSchedule",
    "PickupMethod",
    "PolicyError",
    "RegionPolicy",
    "ServicePlace",
    "ServiceRule",
    "StartPrecision",
    "TimeLimit",
    "TimeUnit",
    "available_regions",
    "load_policy",
    "load_policy_file",
    "policy_path",
    "policy_schema",
    "schema_problems",
]
