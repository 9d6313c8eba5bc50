#!/usr/bin/env python3
"""Policypress command line: ``python build.py --help``."""

import sys

from policypress.cli import main

if __name__ == "__main__":
    sys.exit(main())
