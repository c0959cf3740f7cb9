"""The kiosk's translations (<lang>/LC_MESSAGES/kiosk.po), installed as the package `kiosk_locales`.

Read them with `importlib.resources.files("kiosk_locales")` (see kiosk/i18n.py).
"""
