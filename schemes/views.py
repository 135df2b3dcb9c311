from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from bettercare.views import area_required

from .selectors import scheme_list
from .tables import SchemeTable


@require_GET
@login_required
@area_required
def index(request):
    table = SchemeTable(scheme_list(user=request.user, area=request.area))
    RequestConfig(request, paginate=False).configure(table)
    return render(request, "schemes/index.html", {"table": table})
