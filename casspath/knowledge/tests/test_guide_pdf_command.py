"""`casspath guide_pdf ID --out FILE` prints a guide now, within the asker's scope."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_it_writes_the_guides_pdf(world, guide, tmp_path):
    out = tmp_path / "guide.pdf"
    printed = StringIO()
    call_command("guide_pdf", str(guide.pk), "--size", "A4", "--out", str(out), stdout=printed)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert "填写开通申请单" in "".join(page.extract_text() for page in reader.pages)
    assert round(float(reader.pages[0].mediabox.width)) == 595  # A4: 210 mm
    assert "2 steps" in printed.getvalue()


def test_it_refuses_a_guide_outside_the_users_scope(world, guide, tmp_path):
    with pytest.raises(CommandError, match="no such work guide"):
        call_command(
            "guide_pdf", str(guide.pk), "--as", world.consultant_b.username, "--out", str(tmp_path / "x.pdf")
        )
    assert not (tmp_path / "x.pdf").exists()
