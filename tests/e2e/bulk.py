"""Many reviews and actions in storage at once, for the App Home size test (seeding, not a user journey)."""
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from bot.workflow.core.kernel import person_for
from storage.models import Membership, Review, StageChange
from storage.panel import Agency
from storage.report import PlanAction, Recommendation
from storage.types import SLACK
from tests.e2e.server import TEAM


def seed_portfolio(db, coordinator: str, owner: str, *, reviews: int, actions: int, tenant: str = TEAM,
                   platform: str = SLACK) -> None:
    """`reviews` reviews coordinated by `coordinator`, with `actions` actions owned by `owner` among them."""
    now = datetime.now(timezone.utc)
    today = now.date()
    with db.session() as s:
        agency = s.exec(select(Agency).where(Agency.tenant_id == tenant)).first()
        coord = person_for(s, tenant, coordinator, now, platform)
        own = person_for(s, tenant, owner, now, platform)
        made = []
        for i in range(reviews):
            r = Review(tenant_id=tenant, platform=platform, reference=f"BULK-{i:03d}", stage="monitoring",
                       notified_on=today - timedelta(days=400 + i),
                       notifying_agency="Police", victim_pseudonym="Adult Z", victim_age=40, relationship="partner",
                       created_by=coordinator, created_at=now, updated_at=now, setup_state="complete")
            s.add(r)
            s.flush()
            made.append(r)
            s.add(Membership(review_id=r.id, person_id=coord.id, role="coordinator", added_by="seed", added_at=now))
            s.add(Membership(review_id=r.id, person_id=own.id, role="agency_lead", agency_id=agency.id,
                             added_by="seed", added_at=now))
            s.add(StageChange(review_id=r.id, from_stage=None, to_stage="monitoring", transition="seed", by="seed",
                              at=now - timedelta(days=30)))
        recs = []
        for r in made:
            rec = Recommendation(review_id=r.id, number=1, text="Seeded recommendation", scope="local",
                                 source="overview", created_by=coordinator, created_at=now)
            s.add(rec)
            recs.append(rec)
        s.flush()
        for n in range(actions):
            rec = recs[n % len(recs)]
            s.add(PlanAction(review_id=rec.review_id, recommendation_id=rec.id, number=1 + n // len(recs),
                             action="Seeded action text for the portfolio test", lead_agency_id=agency.id,
                             owner_user=owner, outcome_measure="Seeded outcome",
                             target_on=today + timedelta(days=n % 90 - 10),
                             created_by=coordinator, created_at=now, updated_at=now))
