"""Every parser of outside input the kiosk has, as a fuzz target (tests/reliability/fuzzing.py).

Each target starts from valid samples the simulators or the shipped files provide, and
declares the error type its module documents for bad input; `never raises` modules declare
none. The samples are built once, when the first target needs them.
"""

from __future__ import annotations

import functools
import math
import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.reliability.fuzzing import Target, chunked, mutated

TODAY = date(2026, 11, 23)


# --- GA 467: frames, read replies, documents --------------------------------------------------


@functools.cache
def _people_text_blocks() -> list[bytes]:
    from hwsim.id_reader.people import PEOPLE_FILE, load_people

    return [person.text_block() for person in load_people(PEOPLE_FILE).values()]


@functools.cache
def _ga467_frames() -> list[bytes]:
    from kiosk.drivers.id_reader.frames import Command, Reply, Request

    texts = _people_text_blocks()
    read = len(texts[0]).to_bytes(2, "big") + (1024).to_bytes(2, "big") + texts[0] + bytes(range(256)) * 4
    replies = [Reply(0x00, 0x00, 0x90), Reply(0x00, 0x00, 0x9F, bytes(8)), Reply(0x00, 0x00, 0x90, read),
               Reply(0x00, 0x00, 0x80), Reply(0x00, 0x00, 0x90, bytes.fromhex("05000000") + bytes(16))]  # fmt: skip
    requests = [Request.of(command) for command in Command]
    return [r.encode() for r in replies] + [r.encode() for r in requests]


def _frames(pieces: list[bytes]) -> None:
    from kiosk.drivers.id_reader.frames import MAX_LENGTH, PREAMBLE, Frame, FrameParser, parse_reply, parse_request

    parser = FrameParser()
    for piece in pieces:
        for parsed in parser.feed(piece):
            if isinstance(parsed, Frame):
                parse_reply(parsed)
                parse_request(parsed)
        # its promise: never more than one frame's worth of bytes held
        if parser.pending > len(PREAMBLE) + 2 + MAX_LENGTH:
            raise AssertionError(f"the parser holds {parser.pending} bytes")


def _read_reply(data: bytes) -> None:
    from kiosk.drivers.id_reader.reader import card_read_from

    for fingerprints in (False, True):
        done = card_read_from(data, fingerprints, TODAY)
        if done.ok:
            done.value.to_dict()
            repr(done.value)


def _read_reply_samples() -> list[bytes]:
    return [len(t).to_bytes(2, "big") + (1024).to_bytes(2, "big") + t + bytes(1024) for t in _people_text_blocks()]


def _document(text: bytes) -> None:
    from kiosk.drivers.id_reader.documents import parse_text

    document = parse_text(text)
    document.to_dict()
    repr(document)
    document.expired_on(TODAY)


# --- the social security card: APDU replies and records ---------------------------------------


class _FuzzedChannel:
    """A card channel whose replies are the simulated chip's, except the ones the case replaces."""

    reader = "fuzz"

    def __init__(self, chip: Any, replaced: dict[int, bytes]) -> None:
        self.chip = chip
        self.atr = chip.atr
        self.replaced = replaced
        self.count = 0

    def transmit(self, apdu: bytes) -> bytes:
        self.count += 1
        reply = self.chip.process(apdu)
        return self.replaced.get(self.count, reply)


@functools.cache
def _card_profiles() -> list[str]:
    from hwsim.card.profile import available_profiles

    return sorted(available_profiles())


@functools.cache
def _card_replies() -> list[bytes]:
    """Every reply the simulated chips give to a whole read, in every record form: the samples."""
    replies: list[bytes] = []
    for profile in _card_profiles():
        for form in _record_forms():
            channel = _FuzzedChannel(_chip(profile), {})
            original = channel.transmit
            channel.transmit = lambda apdu, original=original: replies.append(original(apdu)) or replies[-1]  # type: ignore[method-assign]
            try:
                _read_card(channel, form)
            except Exception:  # a profile that refuses this form: its replies are samples all the same
                pass
    return sorted(set(replies))


def _record_forms() -> list[Any]:
    from kiosk.drivers.card.records import RecordForm

    return list(RecordForm)


def _chip(profile: str) -> Any:
    return _chip_of(_profile(profile))


@functools.cache
def _profile(name: str) -> Any:
    from hwsim.card.profile import load_profile

    return load_profile(name)


def _chip_of(profile: Any) -> Any:
    from hwsim.card.chip import Chip

    return Chip(profile)


def _read_card(channel: _FuzzedChannel, form: Any, fallback: bool = True, exact_le: bool = True) -> None:
    from hwsim import kiosk_hooks
    from kiosk.drivers.card.application import SsseApplication
    from kiosk.drivers.card.deadline import Deadline
    from kiosk.drivers.card.session import Session

    app = SsseApplication(kiosk_hooks.test_psam(), form, fallback=fallback, exact_le=exact_le)
    session = Session(channel)
    card = app.read_basic(session, Deadline(5.0))
    card.to_dict(masked=True)
    repr(card)
    app.pin_status(session, Deadline(5.0))


def _card_cases() -> st.SearchStrategy[tuple]:
    replaced = st.dictionaries(st.integers(1, 24), mutated([*_card_replies(), b"\x90\x00", b"\x61\x10", b"\x6c\x08"]),
                               min_size=1, max_size=3)  # fmt: skip
    return st.tuples(st.sampled_from(_card_profiles()), st.sampled_from(_record_forms()), st.booleans(), st.booleans(), replaced)


def _card_read(case: tuple) -> None:
    profile, form, fallback, exact_le, replaced = case
    _read_card(_FuzzedChannel(_chip(profile), replaced), form, fallback, exact_le)


@functools.cache
def _card_record_sets() -> list[list[bytes]]:
    """The EF05 and EF06 records of each simulated card, as TLV."""
    from hwsim.card.chip import tlv

    return [[tlv(*record) for records in _chip(name)._files.values() for record in records] for name in _card_profiles()]


@st.composite
def _card_records(draw: st.DrawFn) -> list[bytes]:
    """A card's whole record set with a few records changed, dropped or added."""
    records = list(draw(st.sampled_from(_card_record_sets())))
    every = [r for s in _card_record_sets() for r in s]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(records)))
        if draw(st.booleans()) and at < len(records):
            del records[at]
        records.insert(at, draw(_mutated_records(len(every))))
    return records


@functools.lru_cache(maxsize=1)
def _mutated_records(_count: int) -> st.SearchStrategy[bytes]:
    return mutated([r for s in _card_record_sets() for r in s])


def _records(raws: list[bytes]) -> None:
    from kiosk.drivers.card.records import decode, parse_record

    values = dict(parse_record(raw) for raw in raws)
    card = decode(values)
    card.to_dict(masked=True)
    repr(card)


def _apdu(raw: bytes) -> None:
    from kiosk.drivers.card.apdu import Response, describe_sw

    response = Response.from_bytes(raw)
    describe_sw(response.sw)
    repr(response)


# --- the receipt printer's status bytes --------------------------------------------------------


def _escpos(answers: dict[str, int]) -> None:
    from kiosk.drivers.printer.status import device_status, sensors_from_answers

    device_status(sensors_from_answers(answers))


# --- vouchers ------------------------------------------------------------------------------------


@functools.cache
def _voucher_key():
    from kiosk.config import SIMULATOR_CONFIG
    from kiosk.keys import read_key_file

    return read_key_file(SIMULATOR_CONFIG.parent / "simulator-terminal.key")


@functools.cache
def _vouchers() -> list[bytes]:
    from kiosk.domain.policy import load_policy
    from kiosk.domain.voucher import Voucher

    policy = load_policy("chongqing-changshou")
    outlet = policy.outlets[0] if isinstance(policy.outlets, (list, tuple)) else next(iter(policy.outlets.values()))
    samples = []
    for n, service in enumerate(("apply", "loss_report", "pin_change", "activate", "reissue")):
        voucher = Voucher.issue(serial=f"CS01-T01-20261123-{n + 1:04d}", service=service, issued_at=datetime(2026, 11, 23, 14, 5),
                                holder_name="王小明", id_number="500115199001011234", outlet=outlet, policy=policy)  # fmt: skip
        samples.append(voucher.qr_payload(_voucher_key()).encode("ascii"))
    return samples


def _voucher(payload: str) -> None:
    from kiosk.domain.voucher import verify_payload

    verify_payload(payload, _voucher_key())


def _voucher_payloads() -> st.SearchStrategy[str]:
    return st.one_of(mutated(_vouchers()).map(lambda b: b.decode("latin-1")), st.text(max_size=80))


# --- the terminal config ---------------------------------------------------------------------------

ODD_VALUES = ("http://[::1", "sim://", "²", "\x00", "", " ", "nan", "../../etc/passwd", "https://", "file:///x",
              "sim://id-reader?baud=²", "pcsc://?name=%00", "\ud7ff", "0" * 300)  # fmt: skip


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return '"' + "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}" for ch in value) + '"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def toml_dumps(doc: dict[str, Any]) -> str:
    """TOML text of a dict of scalars and one level of tables (enough for a terminal config)."""
    lines = [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    for name, table in doc.items():
        if isinstance(table, dict):
            lines.append(f"[{_toml_value(name)}]")
            lines += [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"


@functools.cache
def _config_seeds() -> list[dict[str, Any]]:
    import tomllib

    from kiosk.config import SIMULATOR_CONFIG

    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in (SIMULATOR_CONFIG, SIMULATOR_CONFIG.with_name("terminal.example.toml"))]


@functools.cache
def _config_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.sampled_from(ODD_VALUES), st.text(max_size=30), st.integers(-(2**70), 2**70),
                        st.integers(-5, 700), st.floats(), st.booleans())  # fmt: skip
    return st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(st.text(max_size=8), scalars, max_size=2))


@st.composite
def _configs(draw: st.DrawFn) -> str:
    """A shipped config with some values replaced, removed or added; or its text mutated."""
    seeds = _config_seeds()
    doc = {k: dict(v) if isinstance(v, dict) else v for k, v in draw(st.sampled_from(seeds)).items()}
    doc.setdefault("outbox", {"max_attempts": 8, "backoff_cap_s": 600.0})
    for _ in range(draw(st.integers(1, 4))):
        table = draw(st.sampled_from([None, *[k for k, v in doc.items() if isinstance(v, dict)]]))
        where = doc if table is None else doc[table]
        keys = [k for k in where if not isinstance(where[k], dict)] or ["extra"]
        key = draw(st.one_of(st.sampled_from(keys), st.text(min_size=1, max_size=10)))
        if draw(st.integers(0, 5)) == 0:
            where.pop(key, None)
        else:
            where[key] = draw(_config_values())
    text = toml_dumps(doc)
    if draw(st.integers(0, 7)) == 0:
        text = draw(_mutated_text(text)).decode("utf-8", "replace")
    return text


@functools.lru_cache(maxsize=64)
def _mutated_text(text: str) -> st.SearchStrategy[bytes]:
    return mutated([text.encode("utf-8")])


class _ConfigFiles:
    """One scratch directory with the simulator key beside the config, as the shipped file has it."""

    def __init__(self) -> None:
        from kiosk.config import SIMULATOR_CONFIG

        self.dir = Path(tempfile.mkdtemp(prefix="fuzz-config-"))
        shutil.copy(SIMULATOR_CONFIG.with_name("simulator-terminal.key"), self.dir / "simulator-terminal.key")
        self.path = self.dir / "terminal.toml"


@functools.cache
def _config_files() -> _ConfigFiles:
    return _ConfigFiles()


def _config(text: str) -> None:
    from kiosk.config import load_config

    files = _config_files()
    files.path.write_text(text, encoding="utf-8", errors="surrogatepass")
    saved = os.environ.pop("KIOSK_DATA_DIR", None)
    try:
        load_config(files.path)
    finally:
        if saved is not None:
            os.environ["KIOSK_DATA_DIR"] = saved


# --- the centre's replies ---------------------------------------------------------------------------

CENTRE_BODIES = [b'{"reference": "A00000001", "status": "received", "received_at": "2026-11-23T06:05:00+00:00"}',
                 b'{"cards": [{"card_number": "C00000001", "status": "active", "generation": 3}]}',
                 b'{"error": {"code": "unknown_card", "message": "no such card on record"}}',
                 b'{"reference": "L00000001", "card_number": "C00000001", "status": "reported_lost", "duplicate": true}',
                 b'{"applications": [{"reference": "A1", "status": "received", "received_at": "9999-12-31T23:59:59-12:00"}]}',
                 b'[' * 64, b'{"cards": null}', b'{"cards": ["x"]}']  # fmt: skip


@st.composite
def _centre_answers(draw: st.DrawFn) -> tuple[int, dict[str, str], bytes]:
    status = draw(st.one_of(st.sampled_from((200, 201, 400, 404, 409, 422, 429, 500, 503)), st.integers(100, 599)))
    headers = {}
    if draw(st.booleans()):
        headers["Retry-After"] = draw(st.one_of(st.sampled_from(("inf", "nan", "-1", "1e308", "120", "Wed, 21 Oct 2026 07:28:00 GMT")),
                                                st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20)))  # fmt: skip
    if draw(st.booleans()):
        headers["Content-Type"] = draw(st.sampled_from(("application/json", "text/html", "application/json; charset=gbk")))
    body = draw(st.one_of(mutated(CENTRE_BODIES), st.binary(max_size=64)))
    if draw(st.integers(0, 50)) == 0:
        depth = draw(st.integers(500, 100_000))
        body = b"[" * depth + b"]" * depth  # nesting deeper than the interpreter's recursion limit
    return status, headers, body


def _centre(answer: tuple[int, dict[str, str], bytes]) -> None:
    import httpx

    from kiosk.centre.client import CentreClient

    status, headers, body = answer
    transport = httpx.MockTransport(lambda request: httpx.Response(status, headers=headers, content=body))
    with CentreClient("http://centre.invalid", terminal_id="T01", transport=transport, person_secret=b"\x5a" * 32) as client:
        for reply in (client.report_loss("loss_report:fuzz", {"id_number": "500115199001011234"}),
                      client.cards_of("500115199001011234")):  # fmt: skip
            (reply.ok, reply.retryable, reply.reference, reply.duplicate, reply.reason, reply.retry_after)


# --- the batch sheet ----------------------------------------------------------------------------------------


def _batch_target() -> Target:
    def check(data: bytes) -> None:
        from kiosk.batch.fuzz import fuzz_sheet

        fuzz_sheet(data)  # every sheet reader; SheetError ("not a sheet") is its documented answer, swallowed there

    return Target("batch-sheet", "kiosk.batch.fuzz", "the employer's batch sheet: .xlsx, .xls and .csv readers (kiosk/batch/fuzz.py)", (),
                  lambda: mutated(_batch_sheet_samples()), check)  # fmt: skip


def _batch_sheet_samples() -> list[bytes]:
    """Real sheets to mutate: random bytes alone would never get past the zip or BIFF header."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["重庆市长寿区示例有限公司制卡明细表"])
    sheet.append(["序号", "姓名", "身份证号码", "民族", "证件有效期起止时间", "电话号码", "办卡银行", "常住地址"])
    sheet.append([1, "王芳", "500115199002151283", "汉族", "2015.03.01-2035.03.01", "13987654321", "中国农业银行", "重庆市长寿区凤城街道"])
    out = io.BytesIO()
    book.save(out)
    csv = "姓名,身份证号码,民族\n王芳,500115199002151283,汉\n".encode("gbk")
    return [out.getvalue(), csv]


# --- the list -----------------------------------------------------------------------------------------------


def targets() -> list[Target]:
    from kiosk.drivers.card.errors import CardFailure
    from kiosk.drivers.card.records import CardDataError
    from kiosk.drivers.id_reader.documents import DocumentError
    from kiosk.drivers.printer.status import StatusByteError
    from kiosk.config.loader import ConfigError
    from kiosk.domain.voucher import VoucherForged

    byte = st.integers(0, 255)
    return [
        Target("ga467-frames", "kiosk.drivers.id_reader.frames", "FrameParser.feed in serial-line pieces, parse_reply, parse_request",
               (), lambda: chunked(mutated(_ga467_frames())), _frames),
        Target("ga467-read-reply", "kiosk.drivers.id_reader.reader", "card_read_from: a 30 01 / 30 10 reply's data (never raises)",
               (), lambda: mutated(_read_reply_samples()), _read_reply),
        Target("ga467-document", "kiosk.drivers.id_reader.documents", "parse_text: the 256-byte text block, three layouts",
               (DocumentError,), lambda: mutated(_people_text_blocks(), keep_length=True), _document),
        Target("card-read", "kiosk.drivers.card.application", "SsseApplication.read_basic and pin_status over changed APDU replies",
               (CardFailure,), _card_cases, _card_read),
        Target("card-records", "kiosk.drivers.card.records", "parse_record and decode of EF05/EF06 TLV records",
               (CardDataError,), _card_records, _records),
        Target("apdu-response", "kiosk.drivers.card.apdu", "Response.from_bytes and describe_sw",
               (ValueError,), lambda: mutated([b"\x90\x00", b"\x63\xc2", b"\x61\x20", b"\x01\x02\x90\x00"]), _apdu),
        Target("escpos-status", "kiosk.drivers.printer.status", "sensors_from_answers and device_status of the four status answers",
               (StatusByteError,), lambda: st.dictionaries(st.sampled_from(("printer", "offline_cause", "roll_paper", "gs_r")), byte),
               _escpos),
        Target("voucher", "kiosk.domain.voucher", "verify_payload of changed QR payloads",
               (VoucherForged,), _voucher_payloads, _voucher),
        Target("config", "kiosk.config.loader", "load_config of the shipped configs with values changed (the loader never raises but ConfigError)",
               (ConfigError,), _configs, _config),
        Target("centre-reply", "kiosk.centre.client", "CentreClient over any status, Retry-After and body (it promises never to raise)",
               (), _centre_answers, _centre),
        _batch_target(),
    ]  # fmt: skip
