"""Offline first: the encrypted SQLite outbox and the worker that delivers it to the centre.

Every accepted request is written to the outbox in the same transaction as its local state,
before the voucher prints; the sync worker delivers it at least once and the centre
de-duplicates on the idempotency key (docs/centre-api.yaml).
"""
