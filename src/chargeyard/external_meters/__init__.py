"""External meters: meters that are not stations (a building's sub-meter, a heat pump, a second
charging system), whose readings count as load on the site they feed."""
