"""The tutorial's enclave app: f(x) = a*x^3 + b*x^2 + c*x + d.

Coefficients come from the app developer secret IEXEC_APP_DEVELOPER_SECRET = "a;b;c;d"; x comes from the requester
secret IEXEC_REQUESTER_SECRET_1. A missing (unset, empty or blank) value is 1.
With a dataset (the worker decrypts it into IEXEC_IN and names it in IEXEC_DATASET_FILENAME), the dataset's
coefficients win over the app secret, and its x is used when the requester gives none. The dataset file is either
the text "a;b;c;d" or a JSON object {"coefficients":"a;b;c;d","x":"..."} whose two members are optional strings.

Number semantics, identical to ../js/app.js (tests compare the two byte for byte):
- a number is a decimal: [+-]digits[.digits][e[+-]digits] (".5" and "5." too), surrounding blanks ignored,
  exponent within -1000..1000 and at most 1000 characters;
- arithmetic is EXACT (arbitrary-precision integers scaled by a power of ten), never binary floating point, so
  0.1 stays 0.1 and 2^80 stays exact;
- output numbers are plain JSON numbers with no exponent, no trailing fractional zeros, no "-0": integers print
  as integers ("3", "-12"), decimals in full ("0.125").
result.txt is exactly {"x":<x>,"result":<f(x)>} with no trailing newline.
A bad value is reported by the variable's name only, never its content, and the process exits with code 1.
"""
import json
import os
import re
import sys

NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
BLANKS = " \t\n\r\v\f"


class InputError(Exception):
    """A bad input value; its message names the variable, never the value."""


def parse_decimal(text, label):
    """Parses a decimal string into (m, s) meaning m*10^-s, or raises InputError naming only `label`."""
    if text is None or text.strip(BLANKS) == "":
        return (1, 0)
    t = text.strip(BLANKS)
    match = NUMBER.match(t) if len(t) <= 1000 else None
    # re's $ also matches before a final newline; the fullmatch check keeps the grammar identical to JS.
    if not match or match.end() != len(t):
        raise InputError(f"{label} is not a number")
    exponent = int(match.group(2)[1:]) if match.group(2) else 0
    if abs(exponent) > 1000:
        raise InputError(f"{label} is out of range (exponent beyond 1000 in magnitude)")
    negative = t.startswith("-")
    int_part, _, frac_part = match.group(1).partition(".")
    m = int((int_part or "0") + frac_part)
    s = len(frac_part) - exponent
    if s < 0:
        m *= 10 ** -s
        s = 0
    return (-m if negative else m, s)


def mul(p, q):
    return (p[0] * q[0], p[1] + q[1])


def add(p, q):
    s = max(p[1], q[1])
    return (p[0] * 10 ** (s - p[1]) + q[0] * 10 ** (s - q[1]), s)


def format_number(value):
    """Formats m*10^-s as a JSON number: no exponent, no trailing fractional zeros, no negative zero."""
    m, s = value
    while s > 0 and m % 10 == 0:
        m //= 10
        s -= 1
    negative = m < 0
    digits = str(-m if negative else m)
    if s > 0:
        digits = digits.rjust(s + 1, "0")
        digits = f"{digits[:len(digits) - s]}.{digits[len(digits) - s:]}"
    return ("-" if negative else "") + digits


def read_dataset():
    """The dataset's {coefficients, x} (each optional), or {} without a dataset; never quotes the file in errors."""
    name = os.environ.get("IEXEC_DATASET_FILENAME")
    if name is None or name == "":
        return {}
    if "/" in name or name in (".", ".."):
        raise InputError("IEXEC_DATASET_FILENAME is not a file name")
    folder = (os.environ.get("IEXEC_IN") or "/iexec_in").rstrip("/")
    try:
        with open(f"{folder}/{name}", "r", encoding="utf-8", newline="") as f:
            text = f.read()
    except OSError as error:
        import errno
        code = errno.errorcode.get(error.errno, "EIO") if error.errno else "EIO"
        raise InputError(f"the dataset file IEXEC_IN/IEXEC_DATASET_FILENAME cannot be read ({code})")
    except UnicodeDecodeError:
        raise InputError("the dataset file IEXEC_IN/IEXEC_DATASET_FILENAME cannot be read (EILSEQ)")
    t = text.strip(BLANKS)
    if not t.startswith("{"):
        return {"coefficients": t}
    try:
        parsed = json.loads(t)
    except (ValueError, RecursionError):
        raise InputError("the dataset is malformed: it starts with { but is not JSON")
    if not isinstance(parsed, dict):
        raise InputError("the dataset is malformed: it is not a JSON object")
    dataset = {}
    for key in ("coefficients", "x"):
        if key not in parsed:
            continue
        if not isinstance(parsed[key], str):
            raise InputError(f"the dataset is malformed: its {key} is not a string")
        dataset[key] = parsed[key]
    return dataset


def main():
    if hasattr(sys, "set_int_max_str_digits"):
        # Exact results of long inputs exceed Python's default 4300-digit str() guard; the input length is capped.
        sys.set_int_max_str_digits(0)
    out = os.environ.get("IEXEC_OUT") or "/iexec_out"
    out = out.rstrip("/")
    dataset = read_dataset()
    if "coefficients" in dataset:
        coefficients, source = dataset["coefficients"], "the dataset"
    else:
        coefficients, source = os.environ.get("IEXEC_APP_DEVELOPER_SECRET"), "IEXEC_APP_DEVELOPER_SECRET"
    parts = ["", "", "", ""]
    if coefficients is not None and coefficients.strip(BLANKS) != "":
        parts = coefficients.split(";")
        if len(parts) != 4:
            raise InputError(
                f"{source} is malformed: expected 4 values separated by ';', got {len(parts)}")
    a, b, c, d = (parse_decimal(p, f"coefficient {'abcd'[i]} of {source}")
                  for i, p in enumerate(parts))
    requester_x = os.environ.get("IEXEC_REQUESTER_SECRET_1")
    if (requester_x is None or requester_x.strip(BLANKS) == "") and "x" in dataset:
        x = parse_decimal(dataset["x"], "x of the dataset")
    else:
        x = parse_decimal(requester_x, "IEXEC_REQUESTER_SECRET_1")

    # Horner form: ((a*x + b)*x + c)*x + d, exact so the order does not change the value.
    result = add(mul(add(mul(add(mul(a, x), b), x), c), x), d)

    result_path = f"{out}/result.txt"
    with open(result_path, "w", encoding="utf-8", newline="") as f:
        f.write(f'{{"x":{format_number(x)},"result":{format_number(result)}}}')
    with open(f"{out}/computed.json", "w", encoding="utf-8", newline="") as f:
        f.write(json.dumps({"deterministic-output-path": result_path}, ensure_ascii=False, separators=(",", ":")))
    print(f"f(x) written to {result_path}")


if __name__ == "__main__":
    try:
        main()
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
    except OSError as error:
        # Names the path and the errno symbol, like the JS app, never a value.
        import errno
        code = errno.errorcode.get(error.errno, "EIO") if error.errno else "EIO"
        print(f"error: cannot write {error.filename} ({code})", file=sys.stderr)
        sys.exit(1)
    except Exception as error:  # a runtime message could quote the input: only the type is printed
        print(f"error: unexpected {type(error).__name__}", file=sys.stderr)
        sys.exit(1)
