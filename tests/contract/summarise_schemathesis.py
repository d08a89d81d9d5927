"""Prints a short summary of a schemathesis run from its JSON and HAR reports.

Usage: summarise_schemathesis.py REPORT_DIR OPENAPI_JSON

Exits non-zero unless the run passed and tested every operation of the document.

The JSON report has the verdict (operations, test cases, failures); the HAR report has
every request that was sent, which is how many requests there were and what they got back,
and, matched against the document's paths, which operations were really carried out (got
a 2xx answer) rather than only refused.
"""

import collections
import glob
import json
import re
import sys
from urllib.parse import urlsplit

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def only(pattern):
    matches = glob.glob(pattern)
    if len(matches) != 1:
        sys.exit(f"expected one report matching {pattern}, found {len(matches)}")
    return matches[0]


def operation_matcher(paths):
    """A function from (method, URL path) to "METHOD /template", or None for no operation."""
    templates = []
    for template, item in paths.items():
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        # Literal segments win over parameters: /case-studies/export is not /case-studies/{id}.
        templates.append((template.count("{"), re.compile(f"^{pattern}$"), template, item))
    templates.sort(key=lambda t: t[0])

    def match(method, path):
        for _, pattern, template, item in templates:
            if pattern.match(path):
                return f"{method} {template}" if method.lower() in item else None
        return None

    return match


def main(report_dir, document_path):
    with open(only(f"{report_dir}/json-*.json")) as f:
        run = json.load(f)
    with open(only(f"{report_dir}/har-*.json")) as f:
        entries = json.load(f)["log"]["entries"]
    with open(document_path) as f:
        paths = json.load(f)["paths"]

    operations = run["operations"]
    cases = run["test_cases"]
    statuses = collections.Counter(entry["response"]["status"] for entry in entries)
    # Which operations were carried out at least once, rather than only refused.
    match = operation_matcher(paths)
    carried_out = {
        match(entry["request"]["method"], urlsplit(entry["request"]["url"]).path)
        for entry in entries
        if 200 <= entry["response"]["status"] < 300
    }
    never = [
        f"{method.upper()} {template}"
        for template, item in paths.items()
        for method in item
        if method in METHODS and f"{method.upper()} {template}" not in carried_out
    ]

    print("schemathesis summary")
    print(f"  seed:          {run['seed']}")
    print(
        f"  operations:    {operations['tested']} tested of {operations['total']}"
        f" ({operations['errored']} errored, {operations['skipped']} skipped)"
    )
    print(
        "  phases:        "
        + ", ".join(f"{name} {phase['status']}" for name, phase in run["phases"].items())
    )
    print(f"  requests:      {len(entries)} ({cases['generated']} test cases)")
    print(
        "  responses:     "
        + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
    )
    carried = operations["total"] - len(never)
    print(
        f"  carried out:   {carried} of {operations['total']} operations answered 2xx at least once"
    )
    if never:
        print(f"  never 2xx:     {', '.join(never)}")
    print(
        f"  failures:      {cases['unique_failures']} unique,"
        f" in {cases['with_failures']} test cases"
    )
    for failure in run["failures"]:
        print(
            f"    - {failure['code']} {failure['title']} (x{failure['count']}):"
            f" {', '.join(failure['operations'])}"
        )
    print(f"  errors:        {len(run['errors'])}")
    for error in run["errors"]:
        print(f"    - {json.dumps(error)[:300]}")
    warnings = {kind: items for kind, items in run["warnings"].items() if items}
    for kind, items in warnings.items():
        print(f"  warning:       {kind}: {', '.join(map(str, items))}")
    print(f"  running time:  {run['running_time']:.1f}s (stopped: {run['stop_reason']})")
    # The point is to cover the whole document: an operation left untested is a failure too.
    everything_tested = operations["tested"] == operations["total"]
    if not everything_tested:
        print("  NOT every operation of the document was tested")
    passed = run["exit_code"] == 0 and everything_tested
    print(f"  verdict:       {'PASS' if passed else 'FAIL'}")
    return 0 if passed else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
