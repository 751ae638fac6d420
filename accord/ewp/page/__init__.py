"""The EWP page: an institution's admins run the node from the web (services, selectors, views)."""
