"""Q&A card pages: a map's cards (search and filters), a card, and its editing."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from casspath.analytics.sms import sms_length
from casspath.cass.access import access_card_by_id, access_map_by_id, may_edit_map
from casspath.cass.actions.cards import do_save_qa_card
from casspath.cass.card_forms import CardForm
from casspath.cass.queries import (
    CARD_PAGE_SIZE,
    card_tags,
    cards_of_map,
    map_applying,
    map_dimensions,
    map_work_item_choices,
    map_work_items_by_code,
    maps_for,
    parse_card_filters,
)
from casspath.core.forms import REFUSED, run_action
from casspath.org.queries import my_employee

# The SMS count's two sentences, with the placeholders the page's script fills in too.
SMS_FITS = "Fits one SMS: %(length)s of %(limit)s characters (%(encoding)s)."
SMS_OVER = (
    "Too long for one SMS: %(length)s characters where one holds %(limit)s (%(encoding)s); sent as %(parts)s."
)


# The encodings by what decides them, not by their names (GSM 7-bit, UCS-2), which a
# manager does not know.
SMS_GSM7 = "letters and digits only"
SMS_UCS2 = "with Chinese characters"


def sms_texts() -> dict[str, str]:
    return {"fits": _(SMS_FITS), "over": _(SMS_OVER), "gsm7": _(SMS_GSM7), "ucs2": _(SMS_UCS2)}


def sms_sentence(answer: str) -> tuple[str, bool]:
    """What the page says of an answer's SMS length, and whether it fits one message."""
    count = sms_length(answer)
    values = {
        "length": count.length,
        "limit": count.limit,
        "parts": count.parts,
        "encoding": _(SMS_GSM7) if count.encoding == "gsm7" else _(SMS_UCS2),
    }
    return (_(SMS_FITS) if count.fits_one else _(SMS_OVER)) % values, count.fits_one


@login_required
@require_GET
def cards_home(request):
    """The cards of the map that applies to the user's own unit, else a choice of maps."""
    employee = my_employee(request.user)
    if employee is not None:
        own = map_applying(employee.org_unit)
        if own is not None:
            return redirect("cass:cards", map_id=own.pk)
    maps = list(maps_for(request.user))
    if len(maps) == 1:
        return redirect("cass:cards", map_id=maps[0].pk)
    return render(request, "cass/cards/maps.html", {"maps": maps})


@login_required
@require_GET
def card_list(request, map_id):
    cass_map = access_map_by_id(request.user, map_id)
    filters = parse_card_filters(request.GET)
    page = Paginator(cards_of_map(request.user, cass_map, filters), CARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    dimensions = map_dimensions(cass_map)
    rows = [(card, sms_length(card.qa_card.answer) if hasattr(card, "qa_card") else None) for card in page]
    params = filters.as_params()
    return render(
        request,
        "cass/cards/list.html",
        {
            "cass_map": cass_map,
            "filters": filters,
            "page": page,
            "rows": rows,
            "dimensions": dimensions,
            "work_items": map_work_item_choices(cass_map),
            "tags": card_tags(cass_map),
            "query": urlencode(params),  # the pager's links: a search may hold "&" or "#"
            "may_edit": may_edit_map(request.user, cass_map),
            "filtered": bool(params),
        },
    )


@login_required
@require_GET
def card_detail(request, card_id):
    resource = access_card_by_id(request.user, card_id)
    card = getattr(resource, "qa_card", None)
    if card is None:
        raise Http404("no such Q&A card")
    dimensions = map_dimensions(resource.cass_map)
    skills = [
        (s.dimension_code, dimensions.get(s.dimension_code, ""), s.level) for s in resource.skills.all()
    ]
    sentence, fits = sms_sentence(card.answer)
    return render(
        request,
        "cass/cards/detail.html",
        {
            "resource": resource,
            "card": card,
            "cass_map": resource.cass_map,
            "skills": skills,
            "work_items": list(resource.work_items.all()),
            "sms": sentence,
            "sms_fits": fits,
            "may_edit": may_edit_map(request.user, resource.cass_map),
        },
    )


def _form_page(request, cass_map, form, resource=None):
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            form,
            lambda: do_save_qa_card(
                cass_map,
                form.values(),
                resource=resource,
                dimension=form.chosen_dimension(),
                work_items=map_work_items_by_code(cass_map, form.cleaned_data["work_items"]),
                acting_user=request.user,
            ),
        )
        if saved is not REFUSED:
            sentence, fits = sms_sentence(saved.qa_card.answer)
            messages.success(request, _("Saved."))
            if not fits:
                messages.warning(request, sentence)
            return redirect("cass:card", card_id=saved.pk)
    answer = form["answer"].value() or ""
    sentence, fits = sms_sentence(answer)
    return render(
        request,
        "cass/cards/form.html",
        {
            "cass_map": cass_map,
            "form": form,
            "resource": resource,
            "sms": sentence,
            "sms_fits": fits,
            "sms_texts": sms_texts(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def card_new(request, map_id):
    cass_map = access_map_by_id(request.user, map_id, for_edit=True)
    form = CardForm(
        request.POST or None, dimensions=map_dimensions(cass_map), work_items=map_work_item_choices(cass_map)
    )
    return _form_page(request, cass_map, form)


@login_required
@require_http_methods(["GET", "POST"])
def card_edit(request, card_id):
    resource = access_card_by_id(request.user, card_id, for_edit=True)
    cass_map = resource.cass_map
    card = resource.qa_card
    skill = next(iter(resource.skills.all()), None)
    initial = {
        "code": resource.code,
        "question": card.question,
        "answer": card.answer,
        "dimension": skill.dimension_code if skill else "",
        "level": skill.level if skill else 1,
        "work_items": [w.code for w in resource.work_items.all()],
        "product_code": card.product_code,
        "tags": "，".join(card.tags or []),
        "duration_minutes": resource.duration_minutes,
        "status": resource.status,
    }
    form = CardForm(
        request.POST or None,
        initial=initial,
        dimensions=map_dimensions(cass_map),
        work_items=map_work_item_choices(cass_map),
    )
    return _form_page(request, cass_map, form, resource)
