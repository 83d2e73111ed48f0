"""`python -m leadsift.pipeline.demo`: the `make demo` walkthrough."""

import sys

from leadsift.pipeline.demo.walkthrough import main

sys.exit(main())
