#!/usr/bin/env python
"""Same as the `casspath` console command."""

from casspath.cli import main

if __name__ == "__main__":
    main()
