"""`python -m sync` is `kiosk-sync`."""
import sys

from .cli import main

sys.exit(main())
