"""schemathesis hooks of our own, loaded by tests/centre/test_contract.py through SCHEMATHESIS_HOOKS."""

from __future__ import annotations

import itertools
import re

import schemathesis

from hwsim.centre.contract import SchemaRefusal, contract
from kiosk.centre.api import IDEMPOTENCY_HEADER

_KEY = re.compile(contract().document["components"]["parameters"]["IdempotencyKey"]["schema"]["pattern"])
_serials = itertools.count()


@schemathesis.hook
def before_call(context, case, kwargs):
    """A well-formed Idempotency-Key becomes unique, as the document asks of a client (one per
    business action), keeping its length and all but its last 8 characters. A fuzzer that
    reused keys would mostly meet `idempotency_key_reused` and never reach the centre's rules."""
    key = (case.headers or {}).get(IDEMPOTENCY_HEADER)
    if isinstance(key, str) and _KEY.fullmatch(key):
        case.headers[IDEMPOTENCY_HEADER] = key[:-8] + f"{next(_serials):08x}"


@schemathesis.check
def allowed_request_is_not_refused_by_the_schema(ctx, response, case):
    """A request the document allows may break a rule of the centre (a 422 with its own code),
    never the document's schema: such a 422 means the document and the centre disagree."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        code = None
    if code is None or code in set(SchemaRefusal):
        raise AssertionError(f"a request the document allows was refused as {code}: {response.text[:300]}")
    return None
