"""The published sources hamstride may cite: ../shared/EVIDENCE.md, and the few it lacks
that we added ourselves, each with what it found (docs/evidence-added.md).

A citation anywhere in the catalogue or a plan note must be one of these keys; the
catalogue loader refuses any other, so no source can be invented.
"""

from __future__ import annotations

SOURCES: dict[str, str] = {
    "Mjølsnes 2004": "standard 10-week Nordic hamstring progression",
    "Petersen 2011": "NHE in 942 footballers: RR 0.29 overall, 0.14 recurrent (A)",
    "van der Horst 2015": "NHE in 579 amateurs: 0.25 vs 0.8 injuries/1000 h (A)",
    "van Dyk 2019": "meta-analysis of 15 studies: NHE programmes RR 0.49 (A)",
    "Ripley 2021": "NHE benefit needs > 50% compliance and no gap of 3+ weeks (A-)",
    "Presland 2018": "low-volume NHE as effective as high volume; gains fade after 2 weeks off",
    "Lacome 2020": "1 set vs 4 sets of NHE: same strength gain (B)",
    "Cuthbert 2020": "review: lower, consistent NHE volumes do as well (B)",
    "Behan 2023": "first NHE bout cut eccentric strength ~25% for up to 3 days (B)",
    "Coratella 2025": "repeated-bout effect removes most NHE soreness after 4 weeks (B)",
    "J Athl Train 2021": "1 minute of rest between NHE sets is enough (B)",
    "Bourne 2017": "hip- vs knee-dominant work bias different hamstring heads (B)",
    "Bourne 2018": "combine hip- and knee-dominant hamstring work (B)",
    "Bourne 2015": "between-leg Nordic imbalance >= 15% RR 2.4, >= 20% RR 3.4 (B)",
    "Freckleton 2014": "single-leg bridge test, heel on a 60 cm box; weaker leg, later injury (B)",
    "Askling 2013": "L-protocol: return to training 28 vs 51 days in footballers (A)",
    "Askling 2014": "L-protocol: 49 vs 86 days in sprinters and jumpers (A)",
    "Blagrove 2018": "strength training 2-3x/week improves running economy 2-8% (A)",
    "Balsalobre-Fernandez 2016": "40-70% 1RM, 2-4 lower-body exercises, 2-3x/week (A)",
    "Ronnestad 2010": "1 session a week maintained strength for 13 weeks (B)",
    "Ronnestad": "heavy option 3x4-10RM, 2x/week (B)",
    "Doma & Deakin 2013": "strength before a run raised running cost the next day (B)",
    "Berryman 2020": "4 weeks without explosive strength kept the economy gain (C)",
    "Foster 2001": "session load = session RPE x minutes (B)",
    "Williams 2017": "EWMA acute:chronic workload ratio",
    "Lolli 2019": "uncoupled acute:chronic ratio",
    "Gabbett 2016": "acute:chronic 'sweet spot' (disputed)",
    "Impellizzeri 2020": "critique of the acute:chronic ratio",
    "Impellizzeri 2021": "critique of the acute:chronic ratio",
    "Buist 2008": "the 10% rule did not reduce injuries (A)",
    "Nielsen 2014": "> 30% rise in weekly distance over 2 weeks flagged (B)",
    "Green 2018": "no strength ratio predicted injury; low eccentric strength weakly (A)",
    "Opar 2015": "Nordic-device force < 256 N preseason RR 2.7 (B)",
    "Green 2020": "previous hamstring injury RR 2.7, recent RR 4.8 (A)",
    "Coombs & Garbutt 2002": "conventional H:Q 'normative 0.6' (B)",
    "Silbernagel 2007": "pain-monitoring model: <= 5/10 if settled next morning (A/C)",
    "Lorenz & Domzalski 2020": "return-to-run criteria (C)",
}

# Not in EVIDENCE.md: added by us for plyometrics (rule 15), with what each found.
# docs/evidence-added.md gives the full references.
ADDED_SOURCES: dict[str, str] = {
    "Spurrs 2003": "6 weeks of plyometrics in 17 male runners: 3 km 2.7% faster, running "
                   "economy better, lower-leg stiffness up; VO2max unchanged (B)",
    "Turner 2003": "6 weeks of plyometrics in 18 recreational runners improved running "
                   "economy; VO2max unchanged (B)",
    "Paavolainen 1999": "9 weeks with 32% of training as explosive strength (jumps, "
                        "sprints, light loads): 5 km faster through economy and power (B)",
}
SOURCES.update(ADDED_SOURCES)

NO_TRIAL = "no trial found"

FOOTBALL_CAVEAT = (
    "Almost all hamstring-injury evidence comes from football, rugby and sprinters, "
    "not distance runners."
)
