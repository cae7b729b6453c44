"""The import rules of docs/architecture.md hold: each import-linter contract in pyproject.toml is one test.

lint-imports reads the code without importing it, so these run without Django or a database.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]


def test_there_are_contracts_to_check():
    assert {"layers", "engine-without-django", "no-cycles", "views-without-api"} <= {c["id"] for c in CONTRACTS}


@pytest.mark.parametrize("contract", [contract["id"] for contract in CONTRACTS])
def test_the_code_keeps_the_import_contract(contract):
    # The lint-imports beside this interpreter: the virtualenv's. No cache: nothing is written to the clone.
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache", "--no-logo", "--contract", contract]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout
