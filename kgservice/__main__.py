"""Allow `python -m kgservice`."""

import sys

from kgservice.cli import main

sys.exit(main())
