"""How the kiosk connects to its centre: mutual TLS 1.3, the centre pinned by its own CA.

The context trusts ONLY the CA in the terminal's enrolment (`centre-ca.pem`), never the
system's list, so a certificate any public CA issued for the centre's name is not enough; it
checks the host name; it shows the terminal's client certificate, whose subject is the
terminal id the centre scopes every record to. There is no switch that turns verification
off: a simulator configuration may use plain `http://` instead (the loader refuses that when
production = true), but an `https://` centre is always verified.

National cryptography: Python's `ssl` (OpenSSL 3) speaks TLS 1.3 with the international
suites only. A centre that requires TLCP (GB/T 38636, SM2/SM3/SM4 suites, dual certificates)
needs a Tongsuo or GmSSL build; it plugs in HERE: `client_context` is the one place a
connection's security is decided, and an httpx transport over such a library would replace the
`ssl.SSLContext` it returns (see docs/trust.md).
"""

from __future__ import annotations

import ssl
from urllib.parse import urlsplit

from kiosk.enrolment import EnrolmentError, TerminalTls

MINIMUM_VERSION = ssl.TLSVersion.TLSv1_3


def client_context(tls: TerminalTls) -> ssl.SSLContext:
    """The SSLContext for every call to the centre; EnrolmentError when the files are unusable."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # check_hostname and CERT_REQUIRED by default
    context.minimum_version = MINIMUM_VERSION
    try:
        context.load_verify_locations(cafile=str(tls.ca_file))
        context.load_cert_chain(str(tls.cert_file), str(tls.key_file))
    except (OSError, ssl.SSLError) as exc:
        raise EnrolmentError(f"the terminal's TLS files in {tls.directory} cannot be used ({type(exc).__name__})") from None
    return context


def is_tls_url(url: str) -> bool:
    return urlsplit(url).scheme == "https"
