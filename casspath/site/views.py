from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from casspath.site.home import home_context


@login_required
def home(request):
    return render(request, "site/home.html", home_context(request.user))
