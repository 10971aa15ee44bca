"""Reports: the till summary, the store summary (daily and for a range of days), the
safe, and the fiscal printer's daily (Z) and periodic reports.

All of them are SQL sums over stored rows; `Till.reports` is this package's
`TillReports` for one till; `cassa report …` prints them as JSON.
"""

from cassa.engine.reports._facade import TillReports, report_rows
from cassa.engine.reports._fiscal import (
    FiscalReport,
    ZTotals,
    fiscal_daily_report,
    fiscal_periodic_report,
)
from cassa.engine.reports._stats import ensure_sale_stats, sale_figures, write_sale_stats
from cassa.engine.reports._summaries import (
    CashFlows,
    SalesSummary,
    StoreSummary,
    TenderLine,
    TillSummary,
    sales_summary,
    store_summary,
    till_summary,
)

__all__ = [
    "CashFlows",
    "FiscalReport",
    "SalesSummary",
    "StoreSummary",
    "TenderLine",
    "TillReports",
    "TillSummary",
    "ZTotals",
    "ensure_sale_stats",
    "fiscal_daily_report",
    "fiscal_periodic_report",
    "report_rows",
    "sale_figures",
    "sales_summary",
    "store_summary",
    "till_summary",
    "write_sale_stats",
]
