"""The pocket book (口袋书) pages: the picker (a preset, or work guides, products and Q&A cards
ticked), the book's page with its progress while it prints and its download, the user's
recent books. Writes go through actions/pocketbooks.py; reads through access.py and
pocketbook_selection.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.cass.access import access_map_by_id
from casspath.core.errors import BilingualError
from casspath.core.forms import REFUSED, run_action
from casspath.knowledge.access import access_pocketbook_by_id
from casspath.knowledge.actions.pocketbooks import do_request_pocketbook, do_retry_pocketbook
from casspath.knowledge.downloads import pdf_file_response
from casspath.knowledge.models import DEFAULT_PRESET, PocketBook
from casspath.knowledge.pocketbook_selection import (
    default_map,
    picker_groups,
    preset_choices,
    recent_pocketbooks,
)
from casspath.org.scopes import ScopeRefused


class PocketBookForm(forms.Form):
    mode = forms.ChoiceField(
        choices=[("preset", gettext_lazy("A preset")), ("pick", gettext_lazy("Items I tick"))],
        initial="preset",
    )
    preset = forms.CharField(required=False, max_length=120)
    title = forms.CharField(label=gettext_lazy("Title (optional)"), required=False, max_length=200)


@login_required
@require_http_methods(["GET", "POST"])
def pocketbooks(request):
    """The picker of the map (?map=ID, else the user's: pocketbook_selection.default_map)."""
    user = request.user
    map_id = request.POST.get("map") or request.GET.get("map")
    cass_map = access_map_by_id(user, map_id) if map_id else default_map(user)
    if cass_map is None:
        return render(
            request, "knowledge/pocketbooks.html", {"cass_map": None, "books": recent_pocketbooks(user)}
        )
    form = PocketBookForm(request.POST or None, initial={"preset": DEFAULT_PRESET})
    if request.method == "POST" and form.is_valid():
        picked = form.cleaned_data["mode"] == "pick"
        book = run_action(
            form,
            do_request_pocketbook,
            cass_map,
            preset="" if picked else form.cleaned_data["preset"] or DEFAULT_PRESET,
            guide_ids=request.POST.getlist("guides") if picked else (),
            product_codes=request.POST.getlist("products") if picked else (),
            card_ids=request.POST.getlist("cards") if picked else (),
            picked=picked,
            title=form.cleaned_data["title"],
            acting_user=user,
        )
        if book is not REFUSED:
            return redirect("knowledge:pocketbook", book.pk)
    return render(
        request,
        "knowledge/pocketbooks.html",
        {
            "cass_map": cass_map,
            "form": form,
            "presets": preset_choices(cass_map, user),
            "chosen": {
                "preset": request.POST.get("preset", DEFAULT_PRESET),
                "guides": request.POST.getlist("guides"),
                "products": request.POST.getlist("products"),
                "cards": request.POST.getlist("cards"),
            },
            "books": recent_pocketbooks(user),
            **picker_groups(cass_map, user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def pocketbook(request, book_id: int):
    return render(
        request, "knowledge/pocketbook.html", {"book": access_pocketbook_by_id(request.user, book_id)}
    )


@login_required
@require_GET
def pocketbook_progress(request, book_id: int):
    book = access_pocketbook_by_id(request.user, book_id)
    return render(request, "knowledge/partials/pocketbook.html", {"book": book})


@login_required
@require_POST
def pocketbook_retry(request, book_id: int):
    """Print a failed book's choice again (its asker only: another gets 403), then its page."""
    book = access_pocketbook_by_id(request.user, book_id)
    try:
        again = do_retry_pocketbook(book, acting_user=request.user)
    except ScopeRefused:
        raise
    except BilingualError as refused:
        messages.error(request, refused.both())
        return redirect("knowledge:pocketbook", book.pk)
    return redirect("knowledge:pocketbook", again.pk)


@login_required
@require_GET
def pocketbook_download(request, book_id: int):
    book = access_pocketbook_by_id(request.user, book_id)
    if book.status != PocketBook.Status.SUCCEEDED:
        raise Http404("the pocket book is not printed")
    return pdf_file_response(book, f"{book.title}-{timezone.localtime(book.created_at):%Y%m%d}.pdf")
