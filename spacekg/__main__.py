"""``python -m spacekg``: the same as the ``spacekg`` command."""

from spacekg.cli import main

main()
