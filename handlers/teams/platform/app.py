"""The Teams side of the process: its routes from every capability's LISTENERS table (explicit imports)."""
from handlers.teams.clock import timeline
from handlers.teams.evidence import chronology, evidence, family, imr, uploads
from handlers.teams.intake import intake
from handlers.teams.panel import panel, redaction
from handlers.teams.platform.router import Routes
from handlers.teams.report import action_plan, drafts, learning, retention, stage
from handlers.teams.views import audit, board, home

CAPABILITIES = (intake, panel, redaction, evidence, chronology, imr, uploads, family, stage, drafts, action_plan,
                learning, retention, timeline, audit, home, board)


def routes() -> Routes:
    table = Routes(commands={}, actions={}, forms={}, unknown=intake.unknown)
    for module in CAPABILITIES:
        table.add(module.LISTENERS)
    return table
