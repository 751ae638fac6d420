"""Great-circle distance between two places, as the European Commission's distance calculator
measures it: one way, on a sphere of the Earth's mean radius, in whole kilometres (truncated)."""

from math import asin, cos, radians, sin, sqrt

EARTH_MEAN_RADIUS_KM = 6371.0088


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """The haversine distance in whole kilometres, truncated as the bands count whole kilometres."""
    phi1, phi2 = radians(lat1), radians(lat2)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = radians(lon2 - lon1) / 2
    a = sin(half_dphi) ** 2 + cos(phi1) * cos(phi2) * sin(half_dlambda) ** 2
    return int(2 * EARTH_MEAN_RADIUS_KM * asin(min(1.0, sqrt(a))))
