from ninja import Router

router = Router(tags=["consultations"])
referrals_router = Router(tags=["referrals"])
