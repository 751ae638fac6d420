"""Monitoring and evaluation, the arithmetic: shares and ratios with no data kept apart from zero,
reciprocity of flows, the status rule of an objective's indicator, trends, and partnership health.

Pure Python, no Django import (decision 1); ``accord.evaluation`` feeds these with aggregates read
from the database.
"""
