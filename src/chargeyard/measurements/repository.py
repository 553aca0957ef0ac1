"""All SQL of site measurements written through the API, scoped to one organization (a control
step reads them with the rest of a site: `load_management/repository.py: SiteRepository`)."""

from chargeyard.measurements.models import MeasurementRow
from chargeyard.storage.repository import ScopedRepository


class MeasurementRepository(ScopedRepository[MeasurementRow]):
    model = MeasurementRow
    noun = "Measurement"
