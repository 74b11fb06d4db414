"""``python -m ipradar`` — the same CLI as the ``ipradar`` console script."""

from .cli import main

main()
