"""The rolling plan's priorities: one name each, in report order.

Keys are the framework's ``priority`` values (``indicators.yml``); the summary page, the
overview's matrix and the Word document all name a priority from here.
"""

PRIORITY_NAMES = {
    "violent_crime": "Violent crime",
    "youth_crime": "Youth crime",
    "anti_social_behaviour": "Anti-social behaviour",
    "drugs_and_alcohol": "Drugs and alcohol",
    "reoffending": "Reducing re-offending",
    "safer_communities": "Safer communities",
}
