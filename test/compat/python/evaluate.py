"""Evaluates a table of flags through the official OpenFeature OFREP provider for Python.

Reads {"baseUrl", "key", "cases": [{"id", "flag", "type", "default", "context"}]} as JSON on stdin
and prints one JSON array of {"id", "value", "variant", "reason", "errorCode"} on stdout, in the
cases' order. test/src/compat/ofrep-clients.spec.ts runs it (docs/ofrep-clients.md).
"""

import json
import sys

from openfeature import api
from openfeature.contrib.provider.ofrep import OFREPProvider
from openfeature.evaluation_context import EvaluationContext


def main() -> None:
    table = json.load(sys.stdin)
    key = table["key"]
    api.set_provider(OFREPProvider(table["baseUrl"], headers_factory=lambda: {"Authorization": f"Bearer {key}"}), "compat")
    client = api.get_client("compat")
    json.dump([evaluate(client, case) for case in table["cases"]], sys.stdout)


def evaluate(client, case):
    attributes = {name: value for name, value in case["context"].items() if name != "targetingKey"}
    context = EvaluationContext(case["context"].get("targetingKey"), attributes)
    getters = {
        "boolean": client.get_boolean_details,
        "string": client.get_string_details,
        # Whole numbers in the table: JSON integers, which the provider checks as int.
        "number": client.get_integer_details,
        "object": client.get_object_details,
    }
    details = getters[case["type"]](case["flag"], case["default"], context)
    return {
        "id": case["id"],
        "value": details.value,
        "variant": details.variant,
        # Reason and ErrorCode are str enums; a provider may also answer a plain string.
        "reason": getattr(details.reason, "value", details.reason),
        "errorCode": getattr(details.error_code, "value", details.error_code),
    }


if __name__ == "__main__":
    main()
