from django.shortcuts import get_object_or_404

from oversight.utilities.http import AuthenticatedRequest

from .models import Campaign


def campaign_for(request: AuthenticatedRequest, slug: str) -> Campaign:
    """The campaign named in the URL, if the user may see it as a whole; 404 otherwise."""
    campaigns = Campaign.objects.visible_to(request.user)
    return get_object_or_404(campaigns.select_related("topic", "region", "congress"), slug=slug)
