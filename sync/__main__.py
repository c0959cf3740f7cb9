"""`python -m sync` runs the catalogue's commands of `kiosk-sync` (pull, import, repair, status,
search, locations). The installed `kiosk-sync` adds report, merge-reports and local; without the
script it is `python -m kiosk.synccli`."""
import sys

from .cli import main

sys.exit(main())
