#!/usr/bin/env python
from homecare.cli import main

if __name__ == "__main__":
    main()
