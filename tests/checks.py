# SPDX-License-Identifier: GPL-3.0-or-later
"""What the check-*.py tests share."""
import sys


def finish(problems, summary=None):
    """Prints each problem on stderr and exits 1 if there is any; otherwise
    prints the summary, if given."""
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    if summary:
        print(summary)
