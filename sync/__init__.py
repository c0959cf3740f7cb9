"""The offline catalogue: turns an Open Referral HSDS 3.0 feed into a local SQLite copy and reads it.

This package never imports Textual or the kiosk: the kiosk depends on it, not the other way round.
"""
