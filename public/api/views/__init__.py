"""The API's views: one read-only viewset per resource (``base.ResourceViewSet``)."""
