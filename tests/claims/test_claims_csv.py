"""The CSV import of checked claims (a fixture of our own in the shape of Pagella Politica's
table: the real file's licence forbids shipping it)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from claimants.models import Claimant
from claims.models import Claim, ClaimStatus

pytestmark = pytest.mark.django_db
FIXTURE = Path(__file__).parent / "data" / "pagella_shape.csv"


def run(path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_claims_csv", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_rows_become_published_claims_of_their_claimants(client):
    out, err = run(FIXTURE)
    assert "Created 4 claims, 0 already imported, 1 rows rejected." in out
    assert "row 5: needs an id, a statement and who said it." in err
    # A Flip-O-Meter rating is about a change of mind, not truth: kept off the scale.
    assert "'Full Flop' (1 rows) is not on the scale" in err
    assert "5/5 rows" in err  # progress
    bianchi = Claimant.objects.get(name="Maria Bianchi")
    claims = Claim.objects.filter(speaker=bianchi)
    assert claims.count() == 3  # "maria bianchi" is the same person
    assert set(claims.values_list("status", flat=True)) == {ClaimStatus.PUBLISHED}
    assert {c.verdict.code if c.verdict else None for c in claims} == {"false", "true", None}
    page = client.get(bianchi.get_absolute_url()).content.decode()
    assert "Report card" in page and "La disoccupazione giovanile" in page


def test_running_it_again_changes_nothing():
    run(FIXTURE)
    out, _err = run(FIXTURE)
    assert "Created 0 claims, 4 already imported" in out
    assert Claim.objects.count() == 4


def test_a_file_of_another_shape_is_refused_with_a_message(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(CommandError, match="lacks the columns checkit_id, statement"):
        run(other)
    with pytest.raises(CommandError, match="No file"):
        run(tmp_path / "missing.csv")
