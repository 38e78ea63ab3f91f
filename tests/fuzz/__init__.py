"""Property-based fuzzing of every parser, importer and the API.

Default run (part of the suite, well under a minute):
    .venv/bin/pytest tests/fuzz -m "not slow"
Deeper runs:
    FUZZ_EXAMPLES=1000 .venv/bin/pytest tests/fuzz            # files and importers
    TEXT_HYPOTHESIS_EXAMPLES=5000 .venv/bin/pytest tests/text/test_properties.py
    API_FUZZ_EXAMPLES=20 .venv/bin/pytest tests/fuzz/test_api_schema.py
    .venv/bin/pytest tests/fuzz -m slow                       # 100 requests per API operation

Every crash found here is kept as a plain regression test beside the
module's own tests, with its minimal input.
"""
