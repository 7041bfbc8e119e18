"""The CI check for migrations that would break a rolling deploy or a rollback."""

import pytest
from django.core.management import CommandError, call_command

from ops.migration_safety import find_unsafe_operations


def test_this_projects_migrations_are_safe(capsys):
    call_command("check_migrations")
    assert "safe for a rolling deploy" in capsys.readouterr().out


def test_risky_operations_on_existing_tables_are_found(settings):
    settings.MIGRATION_MODULES = {"sources": "tests.ops.migration_samples.unsafe"}
    found = {
        (finding.migration, finding.reason.split(" ")[0] + " " + finding.operation)
        for finding in find_unsafe_operations()
    }
    assert found == {
        ("0002_risky", "adds Add field size to thing"),
        ("0002_risky", "makes Alter field note on thing"),
        ("0002_risky", "drops Remove field old from thing"),
        ("0002_risky", "renames Rename field name on thing to title"),
        ("0002_risky", "builds Create index thing_title_idx on field(s) title of model thing"),
        ("0002_risky", "cannot Raw Python operation"),
    }


def test_the_command_fails_and_explains_how_to_fix(settings, capsys):
    settings.MIGRATION_MODULES = {"sources": "tests.ops.migration_samples.unsafe"}
    with pytest.raises(CommandError, match="6 unsafe migration operation"):
        call_command("check_migrations")
    errors = capsys.readouterr().err
    assert "sources.0002_risky: Add field size to thing: adds a NOT NULL column" in errors
    assert "give reverse_code (RunPython.noop if nothing to undo)" in errors


def test_a_reviewed_migration_is_accepted(settings):
    settings.MIGRATION_MODULES = {"sources": "tests.ops.migration_samples.reviewed"}
    assert find_unsafe_operations() == []
