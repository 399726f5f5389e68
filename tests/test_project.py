"""The project as a whole: the right database, clean checks, no missing migrations."""

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_database_the_test_command_asked_for(expected_db_vendor):
    if expected_db_vendor is None:
        pytest.skip("run through `make test`, which names the database it expects")
    assert connection.vendor == expected_db_vendor
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_system_check_is_clean():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_have_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
