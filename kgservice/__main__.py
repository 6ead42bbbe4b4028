"""Allow `python -m kgservice`."""

import sys

from kgservice.launch import main

sys.exit(main())
