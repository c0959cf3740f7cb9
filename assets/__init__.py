"""The kiosk's bundled data files, installed as the package `kiosk_assets` (see pyproject.toml).

Read them with `importlib.resources.files("kiosk_assets")`, never with a path next to the code.
"""
