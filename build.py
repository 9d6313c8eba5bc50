#!/usr/bin/env python3
"""Policypress command line: ``python build.py --help``."""

from policypress.cli import run

if __name__ == "__main__":
    run()
