#!/usr/bin/env python3
"""Runs the end-to-end suite: `python3 tests/e2e/run_tests.py [pytest args...]`.

The machine image's python3 carries boto3/awscli but not pytest; Debian's python3-pytest lives in
/usr/lib/python3/dist-packages. That directory is appended (not prepended) to sys.path so the
image's newer boto3/botocore still win over Debian's older copies.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"


def main() -> int:
    try:
        import pytest  # noqa: F401
    except ImportError:
        if os.path.isdir(DEBIAN_DIST_PACKAGES) and DEBIAN_DIST_PACKAGES not in sys.path:
            sys.path.append(DEBIAN_DIST_PACKAGES)
        try:
            import pytest  # noqa: F401
        except ImportError:
            sys.stderr.write("run_tests.py: pytest is not installed (apt-get install python3-pytest "
                             "or pip install pytest)\n")
            return 2

    args = sys.argv[1:]
    # Run the e2e directory unless the caller named tests/paths themselves.
    if not any(not a.startswith("-") and os.path.exists(a.split("::")[0]) for a in args):
        args = args + [HERE]
    # Don't write .pytest_cache into the repository.
    if not any(a.startswith("-p") and "cacheprovider" in a for a in args):
        args = ["-p", "no:cacheprovider"] + args
    return int(pytest.main(args))


if __name__ == "__main__":
    sys.exit(main())
