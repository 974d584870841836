"""Reading a contract intake from a file (or standard input) for the command-line tools."""

import json
import sys

from workup.engine import IntakeError


def read_intake(name: str):
    """The parsed JSON of FILE (or - for standard input); IntakeError says what is wrong."""
    try:
        text = sys.stdin.read() if name == "-" else open(name, encoding="utf-8").read()
    except OSError as exc:
        raise IntakeError("", f"cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise IntakeError("", "is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IntakeError("", f"not valid JSON (line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise IntakeError("", "not valid JSON (nested too deeply)") from None
    except ValueError:  # an integer of more than 4,300 digits
        raise IntakeError("", "not valid JSON (a number is too long)") from None
