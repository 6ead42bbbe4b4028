"""Allow `python -m kgservice`."""

import sys

from kgservice.interfaces.cli.main import main

sys.exit(main())
