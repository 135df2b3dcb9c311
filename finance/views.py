from django.shortcuts import render
from django.views.decorators.http import require_GET

from bettercare.views import area_required


@require_GET
@area_required
def index(request):
    return render(request, "finance/index.html")
